"""Timing shared by the benchmarks: warm up, repeat, report p50 and p95 in milliseconds."""
import statistics
import time


def p50_p95(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def timed(call, repeat: int, warmup: int = 2) -> tuple[list[float], list[float], list]:
    """Wall and CPU milliseconds (this process's: a busy machine's waiting left out) of `repeat`
    calls after `warmup` unmeasured ones, and what the calls returned."""
    for _ in range(warmup):
        call()
    wall, cpu, results = [], [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        results.append(call())
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return wall, cpu, results


def measure(call, repeat: int) -> tuple[float, float, float, float]:
    """p50 and p95 of the wall time, then of the CPU time, of an HTTP call that must answer 200."""
    wall, cpu, responses = timed(call, repeat)
    for response in responses:
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return (*p50_p95(wall), *p50_p95(cpu))


def measure_interleaved(calls: dict, repeat: int, warmup: int = 2) -> dict:
    """`measure` of each of `calls` ({label: call}), taken in rounds (one call of each per round), so a
    slow moment of this shared machine falls on every call alike, not on whichever ran then."""
    for call in calls.values():
        for _ in range(warmup):
            call()
    wall, cpu = {label: [] for label in calls}, {label: [] for label in calls}
    for _ in range(repeat):
        for label, call in calls.items():
            started, used = time.perf_counter(), time.process_time()
            response = call()
            wall[label].append((time.perf_counter() - started) * 1000)
            cpu[label].append((time.process_time() - used) * 1000)
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return {label: (*p50_p95(wall[label]), *p50_p95(cpu[label])) for label in calls}
