"""The figures issue 13 asks for, collected from each benchmark for `bench/run_all.py`'s table.

A benchmark calls `record(...)` for each figure it measured; when `TONGHU_BENCH_SUMMARY` names a
file (run_all sets it), the figure is appended there as one JSON line, else nothing happens.
"""
import json
import os


def record(bench: str, figure: str, value: float, unit: str, target: str = "", met: bool | None = None) -> None:
    """One measured figure; `target` says the issue's bound in words, `met` whether this run kept it."""
    path = os.environ.get("TONGHU_BENCH_SUMMARY")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({"bench": bench, "figure": figure, "value": round(float(value), 2), "unit": unit,
                              "target": target, "met": met}, ensure_ascii=False) + "\n")
