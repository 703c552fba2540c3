"""Guessing a hidden ID number through the registry, kept impractical and visible.

Someone who sees a child's number masked (`430104********0016`) could learn the hidden birth
date by registering or importing guessed numbers: a registered number is refused (409, or an
import row "与名册登记的住所地不符"), an unregistered one is not. Duplicates must still be refused,
so such revealing answers are counted per user and day instead: a row of `login_throttles`
(scope `probe`, the user name, no address), durable and shared by every app node like the
login counters (`services/login.py`). Past the daily allowance (the deployment's
`IDENTITY_PROBE_ALLOWANCE`) the user is held until the day ends: every number the user does
not see in full, registered or not, is refused with the one `REFUSED` message, so the answer
tells nothing. Each revealing answer is audited (`registry.identity_probe`); the county's
civil affairs office is notified once, when the hold starts. The counting runs in a
transaction of its own: the refusal it accompanies rolls the request back.
"""
from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from ...engine.clock import end_of_day, local_date, start_of_day
from ...models import Child, LoginThrottle, Notification, User
from ...models.org import region_at_level
from .. import audit
from ..login import _ensure_rows
from . import scope

SCOPE = "probe"
ALLOWANCE = 5
REFUSED = ("今日核对已登记公民身份号码的次数已达上限，暂不能登记或导入本单位看不到完整号码的儿童。"
           "如儿童由外地迁入（已在别处登记），请联系县级民政部门办理“儿童迁居”。")
ELSEWHERE = "该公民身份号码已登记在您看不到的儿童档案中；儿童由外地迁入的，请联系县级民政部门办理“儿童迁居”"


def hidden(session: Session, user: User, child: Child) -> bool:
    """Whether `user` sees `child`'s number masked, so that learning it is registered tells them something."""
    return not scope.sees_identity(user, child, bool(scope.held_cases(session, user, [child.id])))


def _where(user: User):
    return LoginThrottle.scope == SCOPE, LoginThrottle.username == user.username, LoginThrottle.address == ""


def held(session: Session, user: User, now) -> bool:
    """Whether `user` is past today's allowance (numbers they do not see are then all refused alike)."""
    until = session.scalars(select(LoginThrottle.blocked_until).where(*_where(user))).first()
    return until is not None and until > now


def spend(session: Session, user: User, revealing: int, now, allowance: int = ALLOWANCE,
          remote_addr: str | None = None) -> bool:
    """Count `revealing` answers for `user` today; False (and a hold till the day ends) once past `allowance`."""
    with Session(bind=session.get_bind()) as own:
        _ensure_rows(own, {SCOPE: (user.username, "")})
        today = local_date(now)
        restart = or_(LoginThrottle.last_failure_at.is_(None), LoginThrottle.last_failure_at < start_of_day(today))
        count = own.execute(update(LoginThrottle).where(*_where(user))
                            .values(failures=case((restart, revealing), else_=LoginThrottle.failures + revealing),
                                    last_failure_at=now)
                            .returning(LoginThrottle.failures).execution_options(synchronize_session=False)).scalar_one()
        over = count > allowance
        started = over and own.execute(
            update(LoginThrottle).where(*_where(user), or_(LoginThrottle.blocked_until.is_(None),
                                                           LoginThrottle.blocked_until <= now))
            .values(blocked_until=end_of_day(today)).returning(LoginThrottle.scope)
            .execution_options(synchronize_session=False)).first() is not None
        audit.record(own, now, user, "registry.identity_probe", f"user:{user.username}",
                     {"revealing": revealing, "today": count, "allowance": allowance, "refused": over}, remote_addr)
        if started and user.office is not None:
            own.add(Notification(
                kind="identity_probe", recipient_id=None, department="civil_affairs",
                office_region=region_at_level(user.office.region_code, "county"), created_at=now,
                message=(f"身份号码试探提醒：{user.office.name} {user.display_name}（{user.username}）今日已 {count} 次"
                         f"登记或导入其看不到完整号码的已登记儿童，超过每日 {allowance} 次；今日其余登记已暂停。"
                         "如系儿童迁入，请核实后办理“儿童迁居”；否则请核查该账号。")))
        own.commit()
    return not over



def hidden_ids(session: Session, user: User, children) -> set[int]:
    """`hidden` for many children, a query per 500 (an import's registered rows)."""
    children = list(children)
    held_ids: dict[int, int] = {}
    for start in range(0, len(children), 500):
        held_ids.update(scope.held_cases(session, user, [c.id for c in children[start:start + 500]]))
    return {c.id for c in children if not scope.sees_identity(user, c, c.id in held_ids)}
