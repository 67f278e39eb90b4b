"""Typed exceptions, one per catalog code (DESIGN §3.1). Messages never carry a token or a secret."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .classify import AuthFailure

_EXIT = {
    "CREDENTIALS_EXPIRED": 10, "CREDENTIALS_REVOKED": 11, "CREDENTIALS_INVALID": 11, "CREDENTIALS_MISSING": 4,
    "PERMISSION_DENIED": 8, "RATE_LIMITED": 9, "UNAVAILABLE": 12, "TIMEOUT": 7, "USAGE": 2, "PRECONDITION": 4,
    "NOT_FOUND": 5, "CONFLICT": 6, "PARTIAL_FAILURE": 3, "INTERNAL": 1,
}
_RETRYABLE = {"CREDENTIALS_EXPIRED", "RATE_LIMITED", "UNAVAILABLE", "TIMEOUT"}


class MayflyError(Exception):
    """A failure as a catalog error: ``code``, ``retryable``, ``exit_code`` and the hints that came with it."""

    code = "INTERNAL"

    def __init__(self, message: str, *, failure: "AuthFailure | None" = None, expired_at: datetime | None = None,
                 reauth_command: str | None = None, retry_after_ms: int | None = None,
                 required_scope: str | None = None, missing_scopes: tuple[str, ...] = (),
                 code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.failure = failure
        self.expired_at = expired_at if expired_at is not None else (failure.expired_at if failure else None)
        self.reauth_command = reauth_command if reauth_command is not None else (
            failure.reauth_command if failure else None)
        self.retry_after_ms = retry_after_ms if retry_after_ms is not None else (
            failure.retry_after_ms if failure else None)
        self.required_scope = required_scope if required_scope is not None else (
            failure.required_scope if failure else None)
        self.missing_scopes = missing_scopes or (failure.missing_scopes if failure else ())

    @property
    def retryable(self) -> bool:
        if self.failure is not None:
            return self.failure.retryable
        return self.code in _RETRYABLE

    @property
    def exit_code(self) -> int:
        return _EXIT.get(self.code, 1)

    def to_dict(self) -> dict[str, object]:
        """The ``error`` object of Mayfly's envelope."""
        d: dict[str, object] = {"code": self.code, "message": self.message, "retryable": self.retryable}
        if self.code.startswith("CREDENTIALS_") or self.code == "PERMISSION_DENIED":
            d["reauth_command"] = self.reauth_command
            d["reauth_env_var"] = "MAYFLY_TOKEN"
        if self.expired_at is not None:
            d["expired"] = True
            d["expired_at"] = self.expired_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.required_scope:
            d["required_scope"] = self.required_scope
        if self.missing_scopes:
            d["missing_scopes"] = list(self.missing_scopes)
        if self.retry_after_ms is not None:
            d["retry_after_ms"] = self.retry_after_ms
        return d


class AuthError(MayflyError):
    """A credential problem (the first five catalog rows)."""


class CredentialsExpired(AuthError):
    code = "CREDENTIALS_EXPIRED"


class CredentialsRevoked(AuthError):
    code = "CREDENTIALS_REVOKED"


class CredentialsInvalid(AuthError):
    code = "CREDENTIALS_INVALID"


class CredentialsMissing(AuthError):
    code = "CREDENTIALS_MISSING"


class PermissionDenied(AuthError):
    code = "PERMISSION_DENIED"


class RateLimited(MayflyError):
    code = "RATE_LIMITED"


class Unavailable(MayflyError):
    code = "UNAVAILABLE"


class Timeout(MayflyError):
    code = "TIMEOUT"


class UsageError(MayflyError):
    code = "USAGE"


class PreconditionFailed(MayflyError):
    code = "PRECONDITION"


_BY_CODE: dict[str, type[MayflyError]] = {
    c.code: c for c in (CredentialsExpired, CredentialsRevoked, CredentialsInvalid, CredentialsMissing,
                        PermissionDenied, RateLimited, Unavailable, Timeout, UsageError, PreconditionFailed)
}


def error_for_code(code: str, message: str, **kw: object) -> MayflyError:
    cls = _BY_CODE.get(code, MayflyError)
    return cls(message, code=code if cls is MayflyError else None, **kw)  # type: ignore[arg-type]


def error_for_failure(failure: "AuthFailure") -> MayflyError:
    """The exception for a classified failure; an UNKNOWN one maps by its HTTP status."""
    code = failure.code or _code_for_status(failure.status)
    return error_for_code(code, failure.describe(), failure=failure)


def _code_for_status(status: int) -> str:
    return {400: "USAGE", 401: "CREDENTIALS_INVALID", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
            408: "TIMEOUT", 409: "CONFLICT", 412: "PRECONDITION", 429: "RATE_LIMITED", 502: "UNAVAILABLE",
            503: "UNAVAILABLE", 504: "TIMEOUT"}.get(status, "USAGE" if 400 <= status < 500 else "INTERNAL")
