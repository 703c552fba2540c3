"""Complete form data that many steps and tests fill the same way (one place, so a form that gains a
required field changes here only)."""

# The rating of each hunan §六.3 dimension that agrees with a conclusion (the risk grade follows it).
_RATING_FOR = {"adequate": "good", "insufficient": "weak", "severe_risk": "absent"}


def capacity_assessment(capacity: str = "insufficient", summary: str = "监护能力不足", **fields) -> dict:
    """A complete family guardianship capacity assessment (forms/assess_capacity.json): the three
    hunan §六.3 dimensions, the assessors and the date are required, so every test fills them here,
    rated to agree with `capacity`; `fields` override any of them."""
    rating = _RATING_FOR.get(capacity, "weak")
    return {"health_rating": rating, "income_rating": rating, "ability_rating": rating,
            "assessors": "县民政局评估组", "assessed_on": "2026-11-20",
            "guardianship_capacity": capacity, "assessment_summary": summary, **fields}


def agreement_draft(**fields) -> dict:
    """A complete five-party agreement draft (forms/draft_agreement.json, hunan §三.1): the parties,
    start and term, who manages the living allowance, visits, change and termination terms are
    required, so every test fills them here; `fields` override any of them."""
    return {"guardian_party": "王秀英", "village_party": "望月湖社区居民委员会", "township_party": "望月湖街道办事处",
            "civil_affairs_party": "岳麓区民政局", "rights_and_duties": "机构负责日常照料",
            "service_standards": "按湖南 §三.2 提供照料", "dispute_resolution": "由县级民政局协调",
            "keeps_household_registration": True, "start_date": "2026-11-20", "term_until": "2033-06-01",
            "allowance_manager": "care_institution", "allowance_terms": "专户管理，每季度向监护人公开收支",
            "visiting_arrangements": "监护人每月探视一次", "change_and_termination": "变更或解除须经各方书面同意", **fields}


# The guardian's identity the agreement prints (forms/record_guardian_consent.json asks it on consent).
GUARDIAN = {"guardian_id_number": "430104195803150023", "guardian_address": "湖南省长沙市岳麓区望月湖街道12栋"}
