"""What a JWT says about itself, read WITHOUT verifying it (port of mayfly-client's UnverifiedJwt): for
scheduling one's own refresh and telling an expiry answer from a denial; never for trust."""

from __future__ import annotations

import base64
import json
from typing import Any

_MAX_PART = 16_384


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def unverified_claims(compact: str | None) -> dict[str, Any] | None:
    """The claims of a compact JWT, or None when it is not three base64url parts with JSON objects."""
    if not compact:
        return None
    parts = compact.strip().split(".")
    if len(parts) != 3 or not parts[0] or not parts[1] or len(parts[0]) > _MAX_PART or len(parts[1]) > _MAX_PART:
        return None
    try:
        header = json.loads(_b64url(parts[0]))
        claims = json.loads(_b64url(parts[1]))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return {k: v for k, v in claims.items() if v is not None}


def unverified_exp(compact: str | None) -> float | None:
    """The token's ``exp`` (epoch seconds), read without verifying, or None."""
    claims = unverified_claims(compact)
    if claims is None:
        return None
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    return float(exp)
