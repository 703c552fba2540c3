"""Deploy process definitions as versions; find the one to start; rebuild its bundle."""
import hashlib
import json
import weakref

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..engine import Bundle
from ..models import ProcessDefinition, User
from .checks import Problem, check_files
from .errors import Invalid, NotFound


class DeployRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _checksum(files: dict[str, str], forms: dict[str, dict]) -> str:
    blob = json.dumps({"files": files, "forms": forms}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def deploy(session: Session, files: dict[str, str], forms: dict[str, dict], now, user: User | None = None,
           note: str | None = None, known_variables=(), region_prefix: str = "") -> list[ProcessDefinition]:
    """Check, then add a new version of every top-level process whose files changed.

    `known_variables`: names set from outside `files` (see `checks.check_files`); `region_prefix`:
    deploy as the regional variant of that prefix ("" national; see `services/variants.py`)."""
    problems = check_files(files, forms, known_variables)
    if problems:
        raise DeployRefused(problems)
    bundle = Bundle(files)
    deployed = []
    for info in bundle.top_level_processes():
        own_files = bundle.files_for(info.id)
        own_forms = _forms_used(own_files, forms)
        checksum = _checksum(own_files, own_forms)
        current = latest(session, info.id, region_prefix)
        if current is not None and current.checksum == checksum:
            continue
        newest = _newest_version(session, info.id)
        definition = ProcessDefinition(
            process_id=info.id, version=newest + 1, name=info.name, region_prefix=region_prefix,
            files=own_files, forms=own_forms, checksum=checksum, start_form=info.start_form,
            deployed_by_id=user.id if user else None, deployed_at=now, note=note,
        )
        session.add(definition)
        deployed.append(definition)
    session.flush()
    return deployed


def _forms_used(files: dict[str, str], forms: dict[str, dict]) -> dict[str, dict]:
    """The forms the files name: a version keeps the forms it was deployed with."""
    return {name: schema for name, schema in forms.items() if any(f'"{name}"' in xml for xml in files.values())}


def _newest_version(session: Session, process_id: str) -> int:
    """Versions number national and regional deploys alike (a version is one row)."""
    return session.scalar(select(func.max(ProcessDefinition.version))
                          .where(ProcessDefinition.process_id == process_id)) or 0


def latest(session: Session, process_id: str, region_prefix: str = "") -> ProcessDefinition | None:
    """The newest version of a procedure, national by default (or the variant of `region_prefix`)."""
    return session.scalars(
        select(ProcessDefinition).where(ProcessDefinition.process_id == process_id,
                                        ProcessDefinition.region_prefix == region_prefix)
        .order_by(ProcessDefinition.version.desc()).limit(1)
    ).first()


def latest_all(session: Session) -> list[ProcessDefinition]:
    """The newest national version of every procedure."""
    return list(session.scalars(_newest_national(select(ProcessDefinition))))


# What a deployment changes (versions are only ever added): asked among a page's counts
# (`tasklists.counts`), so a filter's procedure names are read again after a deployment only.
NAMES_STAMP = select(func.max(ProcessDefinition.id))
_NAMES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # engine -> (stamp, names)


def latest_names(session: Session, stamp: int | None = None) -> list[tuple[str, str]]:
    """(process id, name) of `latest_all`'s procedures, for a filter's choices: no definition loaded.
    With `stamp` (`NAMES_STAMP` as the page read it) the names are kept per database until it changes."""
    bind = session.get_bind()
    kept = _NAMES.get(bind)
    if stamp is not None and kept is not None and kept[0] == stamp:
        return kept[1]
    names = [tuple(row) for row in session.execute(
        _newest_national(select(ProcessDefinition.process_id, ProcessDefinition.name)))]
    if stamp is not None:
        _NAMES[bind] = (stamp, names)
    return names


def _newest_national(query):
    newest = (select(ProcessDefinition.process_id, func.max(ProcessDefinition.version).label("v"))
              .where(ProcessDefinition.region_prefix == "")
              .group_by(ProcessDefinition.process_id).subquery())
    return (query.join(newest, (ProcessDefinition.process_id == newest.c.process_id)
                       & (ProcessDefinition.version == newest.c.v))
            .order_by(ProcessDefinition.process_id))


def get_latest_or_404(session: Session, process_id: str) -> ProcessDefinition:
    definition = latest(session, process_id)
    if definition is None:
        raise NotFound(f"没有已部署的流程：{process_id}")
    return definition


# A version never changes after deploy and its checksum hashes its files and forms, so
# (id, checksum) names one content: parsed once per process, not per request or per row.
_BUNDLES: dict[tuple[int | None, str], Bundle] = {}
_FORMS: dict[tuple[int | None, str], dict] = {}
_CACHE_SIZE = 256


def _remember(cache: dict, key, make):
    """Safe for the threads of one server process: what one made is returned even if another
    thread drops it from the cache at once (two may make the same content: both are right)."""
    found = cache.get(key)
    if found is None:
        found = make()
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache), None), None)
        cache[key] = found
    return found


def bundle_of(definition: ProcessDefinition) -> Bundle:
    """The parsed files of a version (cached: versions never change)."""
    return _remember(_BUNDLES, (definition.id, definition.checksum), lambda: Bundle(definition.files))


def form_of(definition: ProcessDefinition, form_name: str | None) -> dict:
    if not form_name:
        return {"type": "object", "properties": {}}
    forms = _remember(_FORMS, (definition.id, definition.checksum), lambda: definition.forms)
    try:
        return forms[form_name]
    except KeyError:
        raise Invalid({"_": f"表单 {form_name} 不在该流程版本中"}) from None
