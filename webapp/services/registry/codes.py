"""The registry's fixed codes (DESIGN.md "Registry codes") and their Chinese names."""

CATEGORIES = {
    "orphan": "孤儿",
    "de_facto_unsupported": "事实无人抚养儿童",
    "left_behind": "留守儿童",
    "disabled": "残疾儿童",
    "seriously_ill": "重病儿童",
    "low_income_family": "低收入家庭儿童",
    "guardianship_lacking": "监护缺失儿童",
    "migrant": "流动儿童",
}

# Colour-graded risk (分色分类分级), lowest first.
RISKS = {"green": "绿色（低风险）", "yellow": "黄色（较低风险）", "orange": "橙色（较高风险）", "red": "红色（高风险）"}

RELATIONS = {"father": "父亲", "mother": "母亲", "grandparent": "（外）祖父母", "relative": "其他亲属", "other": "其他"}

GENDERS = {"male": "男", "female": "女"}

# What a change of the file is, as the history names it.
CHANGE_KINDS = {"register": "登记", "update": "修改", "import": "导入", "case": "立案时登记",
                "roster": "走访评定", "assessment": "监护能力评估", "state_guardianship": "长期监护认定"}

# Field names as the file and the error messages call them.
FIELD_NAMES = {
    "id_number": "公民身份号码", "name": "姓名", "gender": "性别", "birth_date": "出生日期",
    "region": "住所地", "household_region": "户籍地", "categories": "儿童类别", "risk": "风险等级",
    "risk_reason": "评定理由", "school_unit_id": "就读学校", "school": "就读学校", "guardians": "监护人",
    "description": "说明", "reason": "修改理由",
}


def by_code_or_name(table: dict[str, str], value: str) -> str | None:
    """The code of `value`, given as a code or as its Chinese name (CSV files use either)."""
    value = value.strip()
    if value in table:
        return value
    return next((code for code, name in table.items() if value == name or name.startswith(value + "（")), None)
