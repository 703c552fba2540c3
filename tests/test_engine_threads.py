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
