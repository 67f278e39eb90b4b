"""AccessToken: a token a provider hands out, with what is known of it. Its repr never shows the value."""

from __future__ import annotations

from dataclasses import dataclass, field

from ._jwt import unverified_claims
from .clock import format_instant, to_datetime


@dataclass(frozen=True)
class AccessToken:
    value: str = field(repr=False)
    expires_at: float | None = None
    """Epoch seconds on the client's clock (from when the request left plus ``expires_in``), or None: unknown."""
    refresh_at: float | None = None
    session_id: str | None = None
    task_id: str | None = None
    audience: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    tier: str | None = None
    token_type: str = "Bearer"
    """``DPoP`` for a token bound to the provider's DPoP key (RFC 9449 §5): present it with a proof."""

    @staticmethod
    def of(value: str) -> "AccessToken":
        """A token from elsewhere (MAYFLY_TOKEN, a pipe): what is known comes from its own unverified claims."""
        claims = unverified_claims(value) or {}
        exp = claims.get("exp")
        aud = claims.get("aud")
        scope = claims.get("scope")
        return AccessToken(
            value=value.strip(),
            expires_at=float(exp) if isinstance(exp, (int, float)) and not isinstance(exp, bool) else None,
            session_id=claims.get("sid"), task_id=claims.get("task"),
            audience=tuple(aud) if isinstance(aud, list) else ((aud,) if isinstance(aud, str) else ()),
            scopes=tuple(scope.split()) if isinstance(scope, str) else (), tier=claims.get("tier"))

    def is_expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def is_due(self, now: float) -> bool:
        return self.refresh_at is not None and now >= self.refresh_at

    @property
    def dpop_bound(self) -> bool:
        return self.token_type == "DPoP"

    def authorization(self) -> str:
        """The Authorization header value (a DPoP-bound token also needs a ``DPoP`` proof header)."""
        return f"{self.token_type} {self.value}"

    def __repr__(self) -> str:
        what = f"task {self.task_id}" if self.task_id else f"session {self.session_id}"
        exp = "unknown" if self.expires_at is None else format_instant(to_datetime(self.expires_at))
        return f"AccessToken[{what}, expires_at={exp}, value=redacted]"

    __str__ = __repr__
