"""Attacker's probe (session 5): schemathesis against the registry, school-check, notification and unit
operations as the roles that see least (a school's official, the county education bureau), with pupils
registered and their yearly checks open, so generated ids name real rows. tests/test_openapi.py drives
every operation as a township; a bureau's school-check answer off the document was found this way."""
import pytest
from hypothesis import HealthCheck, given, settings

from tests.helpers import run_due, start_entrustment_case
from tests.test_school_checks import at, register

AREAS = ("children", "school-checks", "notifications", "units")


@pytest.mark.slow
@pytest.mark.parametrize("who", ["unit.yl-school-wyh", "education.430104000000"])
def test_no_server_error_and_no_answer_off_the_document(app, api, start_data, clock, who):
    import schemathesis
    from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                     status_code_conformance)
    from schemathesis.generation import GenerationMode
    at(clock, "2027-09-02")
    register(app, "王小花")
    register(app, "李小草", sequence=2)
    run_due(app)  # their yearly checks open
    start_entrustment_case(api, start_data)
    headers = api(who).headers
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [o for o in operations if any(f"/{area}" in o.label for area in AREAS)]
    assert len(operations) >= 6
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=10, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                case.call_and_validate(headers=headers, checks=checks)
            run()
