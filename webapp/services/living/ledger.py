"""The county finance office's view of the ledger: payments of its county by month, as a page and as CSV.

County civil affairs (and its supervisors) see the payments of supports granted in their
jurisdiction; the rows carry the region, so the list is one indexed range on
`ix_living_payments_region_month`, never a join through cases. Exports are audited
(chongqing (二十二): access to children's data is recorded).
"""
import csv
import io
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.living import CATEGORY_TITLES
from ...models import Child, LivingPayment, LivingSupport, Region, User
from ...models.org import jurisdiction_prefix
from .. import audit
from ..errors import Forbidden

CSV_COLUMNS = ("月份", "儿童姓名", "公民身份号码", "所在地区代码", "所在地区", "保障类别", "金额（元）", "保障编号")


def county_prefix(user: User) -> str:
    """The code range whose payments `user` may list: a civil-affairs office at county level or above."""
    office = user.office
    if office is None or office.department_code != "civil_affairs" or office.level not in ("county", "city", "province"):
        raise Forbidden("只有县级及以上民政部门可以查看基本生活保障发放台账")
    return jurisdiction_prefix(office.region_code, office.level)


def _range(prefix: str):
    return LivingPayment.region_code.between(prefix.ljust(12, "0"), prefix.ljust(12, "9"))


def ledger_months(session: Session, user: User) -> list[date]:
    """Months with payments in the user's jurisdiction, newest first."""
    prefix = county_prefix(user)
    return list(session.scalars(select(LivingPayment.month).where(_range(prefix)).distinct()
                                .order_by(LivingPayment.month.desc())))


def county_payments(session: Session, user: User, month: date, limit: int = 200, offset: int = 0):
    """(rows, total, total_fen) for `month` in the user's jurisdiction; a row is (payment, child, region, case id)."""
    prefix = county_prefix(user)
    where = (_range(prefix), LivingPayment.month == month)
    total, total_fen = session.execute(select(func.count(), func.coalesce(func.sum(LivingPayment.amount_fen), 0))
                                       .where(*where)).one()
    rows = session.execute(
        select(LivingPayment, Child, Region, LivingSupport.case_id).join(Child, LivingPayment.child_id == Child.id)
        .join(Region, Region.code == LivingPayment.region_code)
        .join(LivingSupport, LivingSupport.id == LivingPayment.support_id).where(*where)
        .order_by(LivingPayment.region_code, LivingPayment.id).limit(limit).offset(offset)).all()
    return rows, total, total_fen


def export_csv(session: Session, user: User, month: date, now, remote_addr: str | None = None) -> str:
    """The month's payments of the jurisdiction as CSV (UTF-8 with BOM, for spreadsheet programs)."""
    rows, total, _sum = county_payments(session, user, month, limit=1_000_000)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for payment, child, region, _case_id in rows:
        writer.writerow([f"{payment.month:%Y-%m}", _cell(child.name), child.id_number or "", payment.region_code,
                         _cell(region.name), CATEGORY_TITLES.get(payment.category, payment.category),
                         f"{payment.amount_fen / 100:.2f}", payment.support_id])
    audit.record(session, now, user, "living_payments.export", f"month:{month:%Y-%m}",
                 {"rows": total, "jurisdiction": county_prefix(user)}, remote_addr)
    return out.getvalue()


def _cell(text: str) -> str:
    """A spreadsheet never runs a name as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
