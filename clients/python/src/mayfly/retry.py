"""run_with_auth_retry: the agent loop of docs/cli.md ("Agent Spec §53") done right, for any command that
speaks Mayfly's exit codes and envelope: on CREDENTIALS_EXPIRED (exit 10) run the envelope's
``reauth_command`` once, then the command once more; never retry a permanent denial (8) or a revoked or
invalid credential (11); never loop."""

from __future__ import annotations

import json
import shlex
import subprocess
from typing import Any, Sequence

EXIT_EXPIRED = 10


def _envelope_error(stdout: str) -> dict[str, Any] | None:
    try:
        doc = json.loads(stdout)
    except ValueError:
        return None
    err = doc.get("error") if isinstance(doc, dict) else None
    return err if isinstance(err, dict) else None


def run_with_auth_retry(cmd: Sequence[str], *, mayfly: str = "mayfly", allowed: Sequence[str] = ("mayfly",),
                        timeout: float | None = None, **kw: Any) -> subprocess.CompletedProcess[str]:
    """Runs ``cmd``; when it reports an expired credential, runs its ``reauth_command`` (only when that
    command's program is in ``allowed``: a tool's output never gets to run arbitrary programs; ``mayfly`` is
    replaced by the ``mayfly`` argument, e.g. ``./mayfly``) once and runs ``cmd`` once more. Returns the last
    CompletedProcess (text mode, stdout captured). The reauth command's own failure is returned as it is."""
    kw.setdefault("stdin", subprocess.DEVNULL)
    first = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout, **kw)
    err = _envelope_error(first.stdout)
    expired = first.returncode == EXIT_EXPIRED or (err is not None and err.get("code") == "CREDENTIALS_EXPIRED")
    if not expired:
        return first
    reauth = err.get("reauth_command") if err else "mayfly auth refresh"
    if not isinstance(reauth, str) or not reauth.strip():
        return first  # nothing can help: stop
    argv = shlex.split(reauth)
    if argv[0] not in allowed:
        return first
    if argv[0] == "mayfly":
        argv[0] = mayfly
    fix = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)
    if fix.returncode != 0:
        return fix
    return subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout, **kw)
