"""Named units of the organisation: a school, a hospital, a welfare institution, a protection centre.

An office is a department acting for a region; a unit is one real place of that department,
sitting in one region and serving an area (region code prefixes). Tasks of a lane with
`unitFrom` go to the unit named in the case's data, not to the office.
"""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .org import Department, Region


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A short ASCII code, unique: names the unit in CSV files and in its accounts (unit.<code>).
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    # Region code prefixes it serves, space separated (e.g. "430104" for all of Yuelu district).
    serves: Mapped[str] = mapped_column(String(400))
    active: Mapped[bool] = mapped_column(default=True)

    department: Mapped[Department] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")

    @property
    def serve_prefixes(self) -> list[str]:
        return self.serves.split()

    def serves_region(self, code: str) -> bool:
        return any(code.startswith(prefix) for prefix in self.serve_prefixes)
