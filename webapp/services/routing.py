"""Lane -> department and level -> office -> people. The one place routing is decided."""
from dataclasses import dataclass

from sqlalchemy import Select, select

from ..catalog import DEPARTMENTS, LEVEL_NAMES, RECORDED_BY, department_name
from ..engine import Lane
from ..models import LEVELS, Case, HumanTask, Unit, User, region_at_level
from ..models.org import jurisdiction_prefix

# A lane's department may be served by units of other departments: the care institution of an
# entrustment is a children's welfare institution or a minors' protection centre (hunan §三.2).
ACTS_FOR = {"care_institution": ("care_institution", "welfare_institution", "protection_center")}
# A lane routed by this field falls back to the school registered on the child's file.
CHILD_SCHOOL_FIELD = "school_unit"


class Unroutable(Exception):
    """A lane that names no known department and level."""


@dataclass(frozen=True)
class Route:
    department: str        # the department whose office acts
    lane_department: str   # the department the lane names (differs for outside parties)
    level: str
    office_region: str
    unit_id: int | None = None       # the unit chosen in the case's data (lane property unitFrom)
    unit_field: str | None = None

    def explain(self, lane_name: str | None, case_region_name: str, office_name: str) -> str:
        """Say in Chinese why this task belongs to this office (or unit)."""
        if self.unit_id is not None and self.unit_field == CHILD_SCHOOL_FIELD:
            return (f"该任务位于流程泳道“{lane_name or self.lane_department}”（{department_name(self.lane_department)}），"
                    f"由儿童就读的学校办理（案件数据字段“{self.unit_field}”，未填写时为儿童档案登记的学校）：{office_name}。")
        if self.unit_id is not None:
            return (f"该任务位于流程泳道“{lane_name or self.lane_department}”（{department_name(self.lane_department)}），"
                    f"按案件数据字段“{self.unit_field}”的选择，"
                    f"由案件中选定的{department_name(self.lane_department)}办理：{office_name}。")
        text = (
            f"该任务位于流程泳道“{lane_name or self.lane_department}”（{department_name(self.lane_department)}，"
            f"{LEVEL_NAMES[self.level]}），案件所在地为{case_region_name}，"
            f"因此由其{LEVEL_NAMES[self.level]}{department_name(self.department)}办理：{office_name}。"
        )
        if self.lane_department != self.department:
            text += f"{department_name(self.lane_department)}为外部当事人，由{department_name(self.department)}代为录入。"
        return text


def lane_problem(lane: Lane | None) -> str | None:
    """Why a lane cannot be routed, or None when it can."""
    if lane is None:
        return "不在任何泳道中"
    if not lane.department or not lane.level:
        return f"泳道“{lane.name}”未设置部门（department）和层级（level）"
    if lane.department not in DEPARTMENTS:
        return f"泳道“{lane.name}”的部门“{lane.department}”不是已知部门"
    if lane.level not in LEVELS:
        return f"泳道“{lane.name}”的层级“{lane.level}”不是已知层级（{', '.join(LEVELS)}）"
    return None


def departments_acting_for(lane_department: str) -> tuple[str, ...]:
    """The unit departments that may take a task of `lane_department`'s lane."""
    return ACTS_FOR.get(lane_department, (lane_department,))


def office_region(unit: Unit) -> str:
    """The region of the office a unit belongs to: its region at its department's first level."""
    return region_at_level(unit.region_code, DEPARTMENTS[unit.department_code][1][0])


def chosen_unit(session, lane: Lane | None, data: dict, case: Case | None) -> Unit | None:
    """The unit the case's data names in the lane's `unitFrom` field; for the school field the
    child's registered school when the data names none (None: the office acts)."""
    if lane is None or not lane.unit_from:
        return None
    value = data.get(lane.unit_from) if isinstance(data, dict) else None
    if (isinstance(value, bool) or not isinstance(value, int)) and lane.unit_from == CHILD_SCHOOL_FIELD:
        value = case.child.school_unit_id if case is not None else None  # read only when needed
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return session.get(Unit, value)


def route(lane: Lane | None, case_region: str, unit: Unit | None = None) -> Route:
    """The office of the case's place at the lane's level; or, when the lane says `unitFrom` and
    the case's data names an active unit that may act for the lane, that unit."""
    problem = lane_problem(lane)
    if problem:
        raise Unroutable(problem)
    if lane.unit_from and unit is not None and unit.active and \
            unit.department_code in departments_acting_for(lane.department):
        return Route(department=unit.department_code, lane_department=lane.department, level=lane.level,
                     office_region=office_region(unit), unit_id=unit.id, unit_field=lane.unit_from)
    return Route(
        department=RECORDED_BY.get(lane.department, lane.department),
        lane_department=lane.department,
        level=lane.level,
        office_region=region_at_level(case_region, lane.level),
    )


def deepest_level(lanes) -> str:
    """The finest level among lanes: a case must be opened at least that precisely."""
    return max((lane.level for lane in lanes if lane and lane.level in LEVELS), key=LEVELS.index, default="province")


def can_act(user: User, task: HumanTask) -> bool:
    """Officials act on their own office's tasks, a unit's officials on their unit's; supervisors
    on their department's in their jurisdiction, units' included."""
    office = user.office
    if office is None or office.department_code != task.department:
        return False
    if not user.is_supervisor and task.unit_id != user.unit_id:
        return False
    if office.region_code == task.office_region:
        return True
    return user.is_supervisor and task.office_region.startswith(jurisdiction_prefix(office.region_code, office.level))


def visible_tasks(user: User, county: str | None = None) -> Select:
    """The open tasks `user` may act on, as a query (no workflow is loaded); a supervisor's share of
    them in `county` (a county code inside their jurisdiction) when given."""
    office = user.office
    query = select(HumanTask).where(HumanTask.state == "open")
    if office is None:
        return query.where(False)
    query = query.where(HumanTask.department == office.department_code)
    if user.is_supervisor:
        if county is not None:
            return query.where(HumanTask.office_county == county)
        prefix = jurisdiction_prefix(office.region_code, office.level)
        return query.where(in_jurisdiction(HumanTask.office_region, HumanTask.office_county, prefix))
    if user.unit_id is not None:
        return query.where(HumanTask.unit_id == user.unit_id)
    return query.where(HumanTask.office_region == office.region_code, HumanTask.unit_id.is_(None))


def in_jurisdiction(region, county, prefix: str):
    """`region` lies under `prefix`, said through its `county` copy (HumanTask.office_county /
    case_county) so that a county, or a township in it, is one index range read in due order; a
    city's or province's is a range of counties (its pages merge per-county reads: `tasklists_merge`)."""
    if len(prefix) < 6:
        return within(county, prefix)
    county_is = county == prefix[:6].ljust(12, "0")
    return county_is if len(prefix) == 6 else county_is & within(region, prefix)


def within(column, prefix: str):
    """`column` (a 12-digit region code) lies under `prefix`: a range an index can seek, not a LIKE."""
    return column.between(prefix.ljust(12, "0"), prefix.ljust(12, "9"))
