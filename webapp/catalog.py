"""The departments of the policies and the levels at which each acts (POLICY.md "Who takes part")."""

DEPARTMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "village": ("村（居）民委员会", ("village",)),
    "township": ("乡镇人民政府（街道办事处）", ("township",)),
    "civil_affairs": ("民政局", ("county", "city")),
    "protection_center": ("未成年人救助保护机构", ("county",)),
    "welfare_institution": ("儿童福利机构", ("city",)),
    "social_welfare_institution": ("社会福利机构", ("city",)),  # adults' centralised support (shanghai (四))
    "care_institution": ("委托照护机构", ("county",)),
    "police": ("公安机关", ("county", "township")),
    "court": ("人民法院", ("county",)),
    "procuratorate": ("人民检察院", ("county",)),
    "education": ("教育局及学校", ("county",)),
    "health": ("卫生健康委及医疗卫生机构", ("county", "city")),
    "hr_social_security": ("人力资源社会保障局", ("county",)),
    "housing": ("住房城乡建设局", ("county",)),
    "justice": ("司法局", ("county",)),
    "womens_federation": ("妇联", ("county",)),
    "disabled_federation": ("残联", ("county",)),
    "youth_league": ("团委", ("county",)),
    "psych_service": ("社会心理服务机构", ("county",)),
    "district_government": ("区（县）人民政府", ("county",)),
    "guardian": ("监护人", ("village",)),
}

LEVEL_NAMES = {"province": "省级", "city": "市级", "county": "县级", "township": "乡级", "village": "村级"}

# Outside parties without accounts: their acts are recorded by this department's office.
RECORDED_BY = {"guardian": "village"}


def department_name(code: str) -> str:
    return DEPARTMENTS.get(code, (code, ()))[0]


def office_name(department: str, region_name: str) -> str:
    """How people name the office of `department` for a place, e.g. 望月湖街道办事处, 岳麓区民政局."""
    if department == "township":
        return f"{region_name}办事处" if region_name.endswith("街道") else f"{region_name}人民政府"
    if department == "village":
        if region_name.endswith("居委会"):
            return region_name
        return f"{region_name}居民委员会" if region_name.endswith("社区") else f"{region_name}村民委员会"
    return f"{region_name}{department_name(department)}"


def office_called(department: str, place: str, own_name: str | None = None) -> str:
    """What a task's office is called where it is listed: its own name (an `Office` row's), else its
    place's name (or code) and the department's, e.g. 岳麓区民政局."""
    return own_name or f"{place}{department_name(department)}"
