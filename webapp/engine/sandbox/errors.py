"""What the sandbox refuses with; both carry a Chinese message for the designer or official."""


class SandboxError(Exception):
    """Designers' code broke a sandbox rule or limit."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SandboxViolation(SandboxError):
    """The code uses a construct the sandbox does not allow (found before it runs)."""

    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


class SandboxLimit(SandboxError):
    """The code ran past a bound on steps, time or size."""
