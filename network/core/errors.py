"""Domain errors raised by services and turned into responses by the app.

Services raise these instead of aborting, so the CLI, tests and views share one
vocabulary: NotFound -> 404, PermissionDenied -> 403, Conflict -> 409 (or a
message beside the form field, when the view catches it).
"""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    """Input that passed the form but breaks a rule only the service knows."""

    status = 400
