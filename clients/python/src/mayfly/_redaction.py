"""Makes a server's error text safe to keep in an exception or a log (port of mayfly-client's Redaction):
shortened, single-line, and with anything shaped like a credential replaced."""

from __future__ import annotations

import re

_MAX_LENGTH = 300
_SECRETS = [
    re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"),
    re.compile(r"mfy_[a-z]{2}_[0-9A-Za-z]{8,}"),
    re.compile(r"(?:gh[pousr]_|github_pat_)[0-9A-Za-z_]{16,}"),
    re.compile(r"hv[sbr]\.[0-9A-Za-z_-]{16,}"),
    re.compile(r"(?:AKIA|ASIA)[0-9A-Z]{16}"),
    re.compile(r"(?i)(bearer|dpop|basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"[A-Za-z0-9+/_-]{40,}={0,2}"),
]


def _replace(m: re.Match[str]) -> str:
    if m.re.groups > 0 and m.group(1) is not None:
        return m.group(1) + " [redacted]"
    return "[redacted]"


def redact_message(text: str | None) -> str | None:
    if text is None:
        return None
    s = re.sub(r"[\r\n\t]+", " ", text).strip()
    if len(s) > 4 * _MAX_LENGTH:
        s = s[: 4 * _MAX_LENGTH]
    for p in _SECRETS:
        s = p.sub(_replace, s)
    if len(s) > _MAX_LENGTH:
        s = s[:_MAX_LENGTH] + "..."
    return s or None
