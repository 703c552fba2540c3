"""What services refuse with; views turn these into pages or JSON with a status code."""


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    """Input failed its form: `errors` maps a field path to a Chinese message."""

    status = 422

    def __init__(self, errors: dict[str, str], message: str = "提交的内容有误，请按提示修改。"):
        super().__init__(message, errors=errors)
        self.errors = errors


class EngineFailure(ServiceError):
    """A step of the workflow failed (e.g. a handler); nothing was saved."""

    status = 500


class Unprocessable(ServiceError):
    """The request is well-formed but the procedure cannot take it (e.g. a step no office can take)."""

    status = 422


class Busy(ServiceError):
    """The database stayed locked by other writers for longer than its busy timeout."""

    status = 503


class DesignError(Unprocessable):
    """The procedure's own design failed at run time (a condition, a script, a variable it
    expects); nothing was saved. `extra` names the element and the version (the JSON answer);
    `audit` adds the case and task for the administrators' log."""

    def __init__(self, message: str, *, element: str | None, process_id: str, version: int, audit: dict):
        super().__init__(message, code="engine_error", element=element, process_id=process_id, version=version)
        self.audit = audit
