"""The demo organisation of DESIGN.md: two provinces and Chongqing, every office with a demo account.

Demo accounts exist only here; a production setup creates its users through the admin pages.
"""
from sqlalchemy.orm import Session

from .catalog import DEPARTMENTS
from sqlalchemy import select

from .models import Region, Unit
from .services import organisation, units

DEMO_PASSWORD = "tonghu-demo"

REGIONS = [  # (code, name, parent)
    ("430000000000", "湖南省", None),
    ("430100000000", "长沙市", "430000000000"),
    ("430104000000", "岳麓区", "430100000000"),
    ("430104001000", "望月湖街道", "430104000000"),
    ("430104002000", "岳麓街道", "430104000000"),
    ("430104001001", "望月湖社区", "430104001000"),
    ("430104001002", "金华社区", "430104001000"),
    ("430104002001", "桃花岭村", "430104002000"),
    ("310000000000", "上海市", None),
    ("310100000000", "上海市市辖区", "310000000000"),
    ("310104000000", "徐汇区", "310100000000"),
    ("310104001000", "湖南路街道", "310104000000"),
    ("310104001001", "复兴西路居委会", "310104001000"),
    # Chongqing: the place of the demo medical-aid variant (processes/variants/50/, chongqing (五)).
    ("500000000000", "重庆市", None),
    ("500100000000", "重庆市市辖区", "500000000000"),
    ("500103000000", "渝中区", "500100000000"),
    ("500103001000", "七星岗街道", "500103000000"),
    ("500103001001", "领事巷社区", "500103001000"),
]

# Named units of Yuelu district: (code, name, department, region it sits in, area it serves).
# Each has one official, `unit.<code>`.
UNITS = [
    ("yl-school-wyh", "岳麓区望月湖小学", "education", "430104001000", "430104001"),
    ("yl-school-thl", "岳麓区桃花岭小学", "education", "430104002000", "430104002"),
    ("yl-hospital", "岳麓区人民医院", "health", "430104000000", "430104"),
    ("yl-hospital-mh", "岳麓区精神卫生中心", "health", "430104000000", "430104"),
    ("cs-welfare", "长沙市儿童福利院", "welfare_institution", "430104000000", "4301"),
    ("yl-protection", "岳麓区未成年人救助保护中心", "protection_center", "430104000000", "430104"),
    ("yl-psych", "岳麓区青少年心理健康服务中心", "psych_service", "430104000000", "430104"),  # appended: ids stay
]

# Demo supervisors: one per lead office, to show the jurisdiction-wide view and reassignment.
SUPERVISED_OFFICES = [("civil_affairs", "430104000000"), ("civil_affairs", "310104000000"), ("township", "430104001000")]


def load(session: Session, now) -> list[tuple[str, str]]:
    """Create (idempotently) the demo regions, offices and users; return (username, office name)."""
    organisation.ensure_departments(session)
    regions = [organisation.ensure_region(session, code, name, parent) for code, name, parent in REGIONS]
    accounts = []
    for region in regions:
        for department, (_name, levels) in DEPARTMENTS.items():
            if region.level not in levels or department == "guardian":
                continue
            office = organisation.ensure_office(session, department, region)
            username = f"{department}.{region.code}"
            organisation.ensure_user(session, username, DEMO_PASSWORD, now, office.name, "official", office)
            accounts.append((username, office.name))
    for department, code in SUPERVISED_OFFICES:
        office = organisation.ensure_office(session, department, session.get(Region, code))
        username = f"supervisor.{department}.{code}"
        organisation.ensure_user(session, username, DEMO_PASSWORD, now, f"{office.name}主管", "supervisor", office)
        accounts.append((username, f"{office.name}（主管）"))
    for code, name, department, region, serves in UNITS:
        unit = session.scalars(select(Unit).where(Unit.code == code)).first() or units.create(
            session, {"code": code, "name": name, "department": department, "region": region, "serves": serves})
        user = organisation.ensure_user(session, f"unit.{code}", DEMO_PASSWORD, now, name, "official",
                                        units.office_of(session, unit))
        user.unit_id = unit.id
        accounts.append((f"unit.{code}", name))
    organisation.ensure_user(session, "admin", DEMO_PASSWORD, now, "系统管理员", "admin")
    organisation.ensure_user(session, "designer", DEMO_PASSWORD, now, "流程设计员", "designer")
    organisation.ensure_user(session, "tester", DEMO_PASSWORD, now, "政策测试员", "tester")
    accounts += [("admin", "系统管理员"), ("designer", "流程设计员"), ("tester", "政策测试员")]
    return accounts
