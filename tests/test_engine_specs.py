"""The engine restores a version's specs once and shares them; the stored JSON stays SpiffWorkflow's own."""
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG

from tests.conftest import START_DATA
from tests.helpers import capacity_assessment
from webapp.engine import Bundle, Clock, Engine, context_factory_for

PROCESSES = Path(__file__).resolve().parent.parent / "processes"
INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈",
                 "income": "低保", "living_conditions": "祖孙同住"}
CAPACITY = capacity_assessment("insufficient", "不足")
STOCK = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(DEFAULT_CONFIG))


def started(engine: Engine) -> str:
    bundle = Bundle.from_directory(PROCESSES)
    return engine.dumps(engine.start(bundle, "entrustment_care", dict(START_DATA)).workflow)


def step(engine: Engine, blob: str, name: str, data: dict) -> str:
    # the assessment's service task (the risk grade) runs with a handler context, as in a case
    workflow = engine.loads(blob, context_factory_for(engine, None, "430104001001", "entrustment_care"))
    guid = next(t.guid for t in engine.ready_tasks(workflow) if t.name == name)
    engine.complete(workflow, guid, dict(data))
    return engine.dumps(workflow)


def test_the_json_is_what_stock_spiffworkflow_writes_and_reads():
    engine = Engine(Clock())
    blob = started(engine)
    for name, data in (("township_home_investigation", INVESTIGATION), ("assess_capacity", CAPACITY)):
        blob = step(engine, blob, name, data)
        # Stock SpiffWorkflow reads what the engine wrote and writes the same back, and the other way round.
        assert json.loads(STOCK.serialize_json(STOCK.deserialize_json(blob))) == json.loads(blob)
        assert json.loads(engine.dumps(engine.loads(STOCK.serialize_json(STOCK.deserialize_json(blob))))) == json.loads(blob)
        assert "subprocess_specs" in json.loads(blob) and json.loads(blob)["spec"]["name"] == "entrustment_care"


def test_specs_are_restored_once_per_content_and_instances_stay_apart():
    engine = Engine(Clock())
    blob = step(engine, started(engine), "township_home_investigation", INVESTIGATION)
    factory = context_factory_for(engine, None, "430104001001", "entrustment_care")
    first, second = engine.loads(blob, factory), engine.loads(blob, factory)
    assert first.spec is second.spec  # restored once, shared
    assert first.subprocess_specs is not second.subprocess_specs  # each workflow's own mapping
    guid = next(t.guid for t in engine.ready_tasks(first) if t.name == "assess_capacity")
    engine.complete(first, guid, dict(CAPACITY))
    # Running one instance leaves the other (same specs) where it was.
    assert [t.name for t in engine.ready_tasks(second)] == ["assess_capacity"]
    assert [t.name for t in engine.ready_tasks(engine.loads(engine.dumps(first)))] != ["assess_capacity"]
    assert engine.loads(engine.dumps(second)).get_tasks()[0].data == second.get_tasks()[0].data


def test_a_different_diagram_gets_its_own_specs():
    engine = Engine(Clock())
    blob = started(engine)
    changed = json.loads(blob)
    changed["spec"]["description"] = "另一个版本"
    other = engine.loads(json.dumps(changed))
    assert other.spec is not engine.loads(blob).spec
    assert other.spec.description == "另一个版本" and engine.loads(blob).spec.description != "另一个版本"


@pytest.mark.parametrize("value", [
    datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8))), {"gap": timedelta(days=3)},
    2**70, (1, "二"), {"名字": "张三", "次数": 3, "比例": 0.25, "有": True, "无": None},
])
def test_values_are_written_as_stock_spiffworkflow_writes_them(value):
    """The faster encoder (webapp/engine/codec.py) hands dates, big integers and the like to
    SpiffWorkflow's own conversions or encoder, so each comes back as what it was."""
    engine = Engine(Clock())
    workflow = engine.loads(started(engine))
    workflow.get_tasks()[-1].data["value"] = value
    blob = engine.dumps(workflow)
    assert json.loads(blob) == json.loads(STOCK.serialize_json(workflow))
    restored = STOCK.deserialize_json(blob).get_tasks()[-1].data["value"]
    assert restored == (list(value) if isinstance(value, tuple) else value)
