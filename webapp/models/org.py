"""The organisation: regions, departments, offices and the people who work in them."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

# 12-digit statistical division codes: how many leading digits each level keeps.
LEVEL_DIGITS = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
LEVELS = tuple(LEVEL_DIGITS)


def region_at_level(code: str, level: str) -> str:
    """The ancestor of `code` at `level` (e.g. the county of a village)."""
    keep = LEVEL_DIGITS[level]
    return code[:keep] + "0" * (12 - keep)


def level_of(code: str) -> str:
    """The level of a region code: the shallowest level whose digits hold all of it."""
    for level in LEVELS:
        if region_at_level(code, level) == code:
            return level
    raise ValueError(f"not a region code: {code!r}")


def jurisdiction_prefix(code: str, level: str) -> str:
    """The code prefix shared by every region inside `code`'s jurisdiction at `level`."""
    return code[: LEVEL_DIGITS[level]]


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))


class Department(Base):
    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Office(Base):
    """A department acting for one region at that region's level (e.g. 岳麓区民政局)."""

    __tablename__ = "offices"
    __table_args__ = (UniqueConstraint("department_code", "region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    name: Mapped[str] = mapped_column(String(200))

    department: Mapped[Department] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")

    @property
    def level(self) -> str:
        return self.region.level


ROLES = ("official", "supervisor", "admin", "designer", "tester")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="official")
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    # A unit's official acts on that unit's tasks only (webapp/services/routing.py).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    office: Mapped[Office | None] = relationship(lazy="joined")
    unit: Mapped["Unit | None"] = relationship(lazy="joined")  # a unit's official (models/unit.py)

    @property
    def workplace(self) -> str | None:
        """Where the user works, as people name it: the unit, else the office."""
        return self.unit.name if self.unit else (self.office.name if self.office else None)

    # The identity protocol the web layer's login manager reads (Flask-Login's, by duck typing:
    # the model imports nothing of the web). An inactive account cannot log in.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_designer(self) -> bool:
        return self.role in ("designer", "admin")

    @property
    def is_tester(self) -> bool:
        """A policy tester: reads and replays scenarios, never a child's data (no office)."""
        return self.role == "tester"

    @property
    def may_test(self) -> bool:
        return self.role in ("tester", "designer", "admin")
