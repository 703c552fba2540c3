"""One engine serves the threads of a server process (gunicorn's gthread worker): workflows
saved and loaded at the same moment in several threads are what one thread alone writes."""
import sys
import threading

from tests.test_engine_specs import CAPACITY, INVESTIGATION, started, step
from webapp.engine import Clock, Engine


def test_saving_and_loading_in_threads_at_once_writes_what_one_thread_writes():
    engine = Engine(Clock())
    # task data with dates and nested values: what the serializer's encoder mode decides about
    blob = step(engine, step(engine, started(engine), "township_home_investigation", INVESTIGATION),
                "assess_capacity", CAPACITY)
    expected = engine.dumps(engine.loads(blob))
    workflows = [engine.loads(blob) for _ in range(8)]
    wrong, start = [], threading.Barrier(8)

    def work(workflow):
        start.wait()
        for _ in range(15):
            text = engine.dumps(workflow)
            if text != expected:
                wrong.append(text)
            engine.loads(text)

    threads = [threading.Thread(target=work, args=(w,)) for w in workflows]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as Python can: the races show at once
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not wrong, f"{len(wrong)} of 120 saves differ from one thread's"


def test_a_fresh_procedure_opened_in_threads_at_once_is_parsed_once():
    """The first cases of a newly loaded version, opened by several threads at the same moment
    (a server just started): each gets the process spec, none a parser error."""
    from tests.test_engine_specs import PROCESSES
    from webapp.engine import Bundle

    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(PROCESSES.iterdir()) if p.suffix in (".bpmn", ".dmn")}
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(3):
            bundle, specs, errors = Bundle(files), [], []
            start = threading.Barrier(6)

            def open_one():
                start.wait()
                try:
                    specs.append(bundle.spec("entrustment_care"))
                except Exception as err:  # noqa: BLE001 - what a request would have answered with a 500
                    errors.append(err)

            threads = [threading.Thread(target=open_one) for _ in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert not errors, errors[0]
            assert len({id(spec) for spec, _called in specs}) == 1
            assert len({id(called) for _spec, called in specs}) == 6  # each caller's own mapping
    finally:
        sys.setswitchinterval(interval)
