"""The building blocks every area of the OpenAPI document is written with.

`op` describes one route (its body, answer and error codes); `ERRORS` says what each
error code means on this API (DESIGN.md).
"""
from ..views.limits import ID_MAX

PREFIX = "/api/v1"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def obj(required: dict, optional: dict | None = None) -> dict:
    """An object with these properties (the `required` ones always present); more may come."""
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
MOMENT = {"type": "string", "format": "date-time"}
ID = {"type": "integer", "minimum": 0, "maximum": ID_MAX}
JSON_OBJECT = {"type": "object"}

# Error codes (DESIGN.md): what each one means on this API.
ERRORS = {
    400: "Malformed request: not JSON, not a JSON object, or nested more than 64 levels",
    401: "No bearer token, or an invalid, expired or revoked one (or bad credentials)",
    403: "The caller's office may not do or see this",
    404: "No such id (every id beyond 2^63 − 1 included), or no such process",
    409: "Conflict: already completed, claimed by someone else, or changed meanwhile",
    413: "Body larger than the server accepts (MAX_CONTENT_LENGTH, 2 MiB by default)",
    422: "Input fails its form or has a field of the wrong type (`errors` names the fields); on completing "
         "a task also `code: engine_error` (the procedure's design failed at run time; nothing saved)",
    429: "Too many failed logins for this name or from this address: retry after `Retry-After` seconds",
}

PAGE = {"page": {"type": "string", "description": "Page number, from 1"},
        "per_page": {"type": "string", "description": "Items a page (default 50, at most 200)"}}


def op(summary: str, answer: str | None, *, status: int = 200, body: str | None = None, errors=(),
       auth: bool = True, query: dict | None = None, body_media: str = "application/json",
       error_answers: dict | None = None) -> dict:
    """`body_media`: the request body's media type (a CSV upload); `error_answers`: an error code whose
    body is not the usual `Error`/`ValidationError` → its schema name."""
    return {"summary": summary, "answer": answer, "status": status, "body": body, "errors": tuple(errors),
            "auth": auth, "query": query or {}, "body_media": body_media, "error_answers": error_answers or {}}

