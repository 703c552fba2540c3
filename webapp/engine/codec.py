"""The stored workflow's JSON text, written and read with orjson where it gives what `json` would.

`BpmnWorkflowSerializer.serialize_json` / `deserialize_json` spend most of their JSON time in
the standard library's encoder (with a Python `default` hook) and decoder; orjson does the same
encoding several times faster. The text stays stock SpiffWorkflow JSON (compact separators):
anything orjson would write differently from `json` is handed to the serializer's own encoder
hook (dates, dataclasses, subclasses of built-in types), and anything orjson refuses (an
integer beyond 64 bits, a key that is not a string) falls back to `json`, so the result is
what stock SpiffWorkflow reads and writes (tests/test_engine_specs.py). One difference: a
float that is not finite (JSON has none; `json` writes `NaN`/`Infinity`) is written `null`. Reading stays with
`json`: orjson would turn an integer beyond 64 bits into a float without a word.
"""
import json

import orjson

# Handed to the serializer's hook rather than written natively, as `json.dumps` would do.
_PASSTHROUGH = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


def dumps(serializer, workflow) -> str:
    """`serializer.serialize_json(workflow)`, encoded by orjson when it can."""
    registry = serializer.registry
    registry._encoder_mode = True
    try:
        dct = serializer.to_dict(workflow)
        dct[serializer.VERSION_KEY] = serializer.VERSION
        encoder = serializer._encoder_cls
        try:
            return orjson.dumps(dct, default=encoder().default, option=_PASSTHROUGH).decode("utf-8")
        except orjson.JSONEncodeError:
            return json.dumps(dct, cls=encoder)
    finally:
        registry._encoder_mode = False


def canonical(value) -> bytes:
    """One byte string per decoded JSON value (keys sorted), for a cache key."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")
