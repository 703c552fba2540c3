#!/usr/bin/env python3
"""Benchmark: what one cycle of recurring monitoring costs at cycle 1, 100 and 500.

Recurring visits are not a loop inside the agreement's workflow (SpiffWorkflow 3.2 reports a
looping instance whose task tree passes depth 1000 as completed, and each step of it costs
more as its history grows); the scheduler starts one short `monitoring_visit` case per cycle
(webapp/services/monitoring.py). This script drives one entrustment agreement through N
cycles, through the same services as the app (scheduler run, then the visit completed by the
township), on a fresh SQLite database, and prints per cycle:

- the scheduler run that opens the visit (ms) and the completion of the visit (ms),
- the serialized size of that cycle's visit case and of the agreement's own workflow.

With --compare-loop it also runs the design it avoids, a one-user-task loop in a single
instance, and prints its cost per turn and the turn at which SpiffWorkflow gives up on it.

    .venv/bin/python bench/monitoring_cycles.py                 # 500 cycles, weekly visits
    .venv/bin/python bench/monitoring_cycles.py --compare-loop  # plus the naive loop

Timings are medians over a window of cycles around the one named, to smooth out noise.
"""
import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from webapp import create_app  # noqa: E402
from webapp.engine import Bundle, Clock, Engine  # noqa: E402
from webapp.demo import UNITS  # noqa: E402
from webapp.engine.clock import LOCAL_TZ  # noqa: E402
from webapp.models import Case, HumanTask, User  # noqa: E402
from webapp.services import accounts, cases, organisation  # noqa: E402
from webapp.services.scenarios.steps.filled import agreement_draft  # noqa: E402
from webapp.services.scheduler import run_due_work  # noqa: E402

CHILD = {"name": "小明", "id_number": "430104202001010013", "birth_date": "2020-01-01", "gender": "male"}
START = {"child": CHILD, "category": "de_facto_unsupported", "reason": "父母外出务工，祖母年迈多病", "discovered_by": "monthly_contact"}
INSTITUTION = "unit.cs-welfare"
SIGN = {"signed": True, "signatory": "签署人", "signed_on": "2026-11-20"}
TO_ADMISSION = [
    ("township.430104001000", "township_home_investigation", {"guardian_name": "王秀英", "guardian_relation": "grandparent",
                                                              "health": "年迈", "income": "低保", "living_conditions": "祖孙同住"}),
    ("civil_affairs.430104000000", "assess_capacity", {"guardianship_capacity": "insufficient", "assessment_summary": "不足",
                                                   "health_rating": "weak", "income_rating": "weak", "ability_rating": "weak",
                                                   "assessors": "县民政局评估组", "assessed_on": "2026-11-20"}),
    ("village.430104001001", "record_guardian_consent", {"guardian_consents": True,
                                                          "guardian_id_number": "430104195803150023",
                                                          "guardian_address": "湖南省长沙市岳麓区望月湖街道12栋",
                                                          "consent_note": "同意"}),
    # the care institution is a unit (the demo creates its units in UNITS order): its official acts
    ("civil_affairs.430104000000", "choose_institution",
     {"care_institution_unit": [unit[0] for unit in UNITS].index("cs-welfare") + 1}),
    ("civil_affairs.430104000000", "draft_agreement", agreement_draft(term_until="2038-01-01")),
    ("village.430104001001", "sign_guardian", SIGN), ("village.430104001001", "sign_village", SIGN),
    ("township.430104001000", "sign_township", SIGN), (INSTITUTION, "sign_institution", SIGN),
    ("civil_affairs.430104000000", "sign_civil_affairs", SIGN),
]
VISIT = {"visit_method": "home_visit", "findings": "生活规律，学习进步", "carer_status": "adequate"}


def local(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=hour), LOCAL_TZ)


class Run:
    def __init__(self, database: Path, cadence: str):
        self.clock = Clock()
        self.clock.offset = local(date(2026, 11, 20), 9) - datetime.now(timezone.utc)
        organisation.hash_password = lambda password: accounts.hash_password("bench")  # nobody logs in here
        self.app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench", "CLOCK": self.clock,
                               "CADENCES": {"supervisor_return_visit": {"cadence": cadence, "lead": "P1D"}}})
        result = self.app.test_cli_runner().invoke(args=["demo-data"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        self.make = self.app.extensions["tonghu.sessionmaker"]
        self.engine = self.app.extensions["tonghu.engine"]

    def complete(self, username, name, data, case_id=None, child_id=None) -> int:
        with self.make() as s:
            query = select(HumanTask).join(Case, Case.id == HumanTask.case_id).where(
                HumanTask.name == name, HumanTask.state == "open").order_by(HumanTask.due, HumanTask.id)
            query = query.where(Case.id == case_id) if case_id else query.where(Case.child_id == child_id)
            task = s.scalars(query).first()
            user = s.scalars(select(User).where(User.username == username)).one()
            cases.complete_task(s, self.engine, task.id, data, user, self.engine.clock.now())
            s.commit()
            return task.case_id

    def admit(self) -> tuple[int, int]:
        with self.make() as s:
            village = s.scalars(select(User).where(User.username == "village.430104001001")).one()
            case = cases.start_case(s, self.engine, "entrustment_care", "430104001001", START, village, self.engine.clock.now())
            s.commit()
            case_id, child_id = case.id, case.child_id
        for username, name, data in TO_ADMISSION:
            self.complete(username, name, data, case_id=case_id)
        self.complete(INSTITUTION, "admit_child", {"admitted_on": "2026-11-20", "care_plan": "日常照料"},
                      case_id=case_id)
        return case_id, child_id

    def scheduler_run(self) -> dict:
        with self.make() as s:
            result = run_due_work(s, self.engine, self.engine.clock.now())
            s.commit()
        return result

    def size(self, case_id) -> int:
        with self.make() as s:
            return len(s.get(Case, case_id).workflow_json)


def bench_plan(cycles: int, cadence_days: int, report: list[int], window: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run = Run(Path(tmp) / "bench.sqlite", f"P{cadence_days}D")
        case_id, child_id = run.admit()
        anchor = date(2026, 11, 20)
        rows = []
        for cycle in range(1, cycles + 1):
            day = anchor + timedelta(days=cadence_days * cycle - 1)
            run.clock.travel_to(local(day))
            t0 = time.perf_counter()
            started = run.scheduler_run()["monitoring"]
            t1 = time.perf_counter()
            visit_case = run.complete("township.430104001000", "supervisor_return_visit",
                                      {**VISIT, "visited_on": day.isoformat()}, child_id=child_id)
            t2 = time.perf_counter()
            if started > 1:  # a yearly institution visit opened this week too: do it, untimed
                run.complete(INSTITUTION, "institution_home_visit",
                             {**VISIT, "visited_on": day.isoformat()}, child_id=child_id)
            rows.append(((t1 - t0) * 1000, (t2 - t1) * 1000, run.size(visit_case) if cycle in report else None))
        agreement = run.size(case_id)
        with run.make() as s:
            status = s.get(Case, case_id).status
        run.make.kw["bind"].dispose()

    print(f"Recurring monitoring, one short monitoring_visit case per cycle "
          f"(supervisor visit every {cadence_days} days, {cycles} cycles, SQLite)")
    print(f"{'cycle':>6} {'open visit ms':>14} {'complete ms':>12} {'per step ms':>12} "
          f"{'visit case JSON bytes':>22} {'agreement JSON bytes':>21}")
    for cycle in report:
        if cycle > cycles:
            continue
        lo, hi = max(1, cycle - window), min(cycles, cycle + window)
        opened = statistics.median(r[0] for r in rows[lo - 1:hi])
        done = statistics.median(r[1] for r in rows[lo - 1:hi])
        print(f"{cycle:>6} {opened:>14.1f} {done:>12.1f} {opened + done:>12.1f} "
              f"{rows[cycle - 1][2]:>22,} {agreement:>21,}")
    first = [r[0] + r[1] for r in rows[:min(cycles, 2 * window + 1)]]
    last = [r[0] + r[1] for r in rows[max(0, cycles - 2 * window - 1):]]
    if first and last:
        from summary import record
        ratio = statistics.median(last) / statistics.median(first)
        record("monitoring_cycles", f"per step at cycle {cycles} vs cycle 1", ratio, "×", "≤ 1.2", ratio <= 1.2)
    print(f"agreement after {cycles} cycles: {status}; its workflow JSON is the same size at every cycle "
          f"(the plan lives in a row, not in the workflow)")


LOOP = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="loop_defs" targetNamespace="x">
  <bpmn:process id="visit_loop" name="naive visit loop" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="again"><bpmn:incoming>f1</bpmn:incoming><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="visit" name="visit"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:exclusiveGateway id="more" default="f3"><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing><bpmn:outgoing>f5</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="end"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again"/>
    <bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="visit"/>
    <bpmn:sequenceFlow id="f3" sourceRef="more" targetRef="again"/>
    <bpmn:sequenceFlow id="f4" sourceRef="visit" targetRef="more"/>
    <bpmn:sequenceFlow id="f5" sourceRef="more" targetRef="end"><bpmn:conditionExpression>stop == True</bpmn:conditionExpression></bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>"""


def bench_loop(turns: int, report: list[int], window: int) -> None:
    engine = Engine(Clock())
    workflow = engine.start(Bundle({"loop.bpmn": LOOP}), "visit_loop", {}).workflow
    blob = engine.dumps(workflow)
    rows, gave_up = [], None
    for turn in range(1, turns + 1):
        t0 = time.perf_counter()
        workflow = engine.loads(blob)
        ready = engine.ready_tasks(workflow)
        if not ready:
            gave_up = (turn, workflow.is_completed())
            break
        engine.complete(workflow, ready[0].guid, {"stop": False, "visited": turn})
        blob = engine.dumps(workflow)
        rows.append(((time.perf_counter() - t0) * 1000, len(blob)))
    print()
    print("For comparison, the design avoided: every visit a turn of one loop in one instance (load, complete, save)")
    print(f"{'turn':>6} {'per step ms':>12} {'instance JSON bytes':>20}")
    for turn in report:
        if turn <= len(rows):
            lo, hi = max(1, turn - window), min(len(rows), turn + window)
            print(f"{turn:>6} {statistics.median(r[0] for r in rows[lo - 1:hi]):>12.1f} {rows[turn - 1][1]:>20,}")
    if gave_up:
        print(f"at turn {gave_up[0]} the instance had no task left and reported completed={gave_up[1]} "
              f"although nobody chose to stop: SpiffWorkflow's depth limit (DESIGN.md \"Known engine limit\")")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=500)
    parser.add_argument("--cadence-days", type=int, default=7,
                        help="days between visits (7: 500 cycles fit before the child turns 18)")
    parser.add_argument("--window", type=int, default=5, help="median over cycle-window..cycle+window")
    parser.add_argument("--compare-loop", action="store_true", help="also run the naive one-instance loop")
    args = parser.parse_args(argv)
    report = sorted({1, 100, 200, args.cycles})
    bench_plan(args.cycles, args.cadence_days, report, args.window)
    if args.compare_loop:
        bench_loop(args.cycles, sorted({1, 100, 200, 300, args.cycles}), args.window)


if __name__ == "__main__":
    main()
