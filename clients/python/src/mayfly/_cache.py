"""The `mayfly` CLI's credential cache, read and renewed the way the CLI does (mayfly-cli's CredentialCache,
CachedSession, CacheLock), so a Python agent and the CLI share one session without ever presenting the same
refresh token twice (reuse revokes the whole session).

- ``$MAYFLY_HOME/credentials.json`` (mode 0600): ``{"version": 1, "sessions": {URL: {...}}}``, one session
  per broker URL (no trailing slash); every write is an atomic rename, so reads take no lock.
- Writes happen under ``credentials.lock``: a lock per path for this process's threads, then a POSIX record
  lock (``fcntl.lockf``, the F_SETLK lock Java's FileChannel.tryLock takes on Linux) for other processes.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .clock import format_instant, parse_instant, to_datetime
from .errors import PreconditionFailed, Timeout

FILE = "credentials.json"
LOCK_FILE = "credentials.lock"
LOCK_TIMEOUT = 30.0

_IN_PROCESS: dict[Path, threading.Lock] = {}
_IN_PROCESS_GUARD = threading.Lock()


def default_home() -> Path:
    return Path(os.environ.get("MAYFLY_HOME") or Path.home() / ".mayfly")


@dataclass(frozen=True)
class CachedSession:
    url: str
    client_id: str | None
    agent_id: str | None
    session_id: str | None
    access_token: str
    expires_at: float
    refresh_after: float
    refresh_token: str | None
    session_expires_at: float
    scopes: tuple[str, ...]
    tier: str | None
    obtained_at: float

    def __repr__(self) -> str:
        return f"CachedSession(url={self.url!r}, session_id={self.session_id!r}, tokens=redacted)"

    @staticmethod
    def from_json(j: dict[str, Any]) -> "CachedSession":
        def t(name: str) -> float:
            return parse_instant(j[name]).timestamp()
        return CachedSession(
            url=j.get("url") or "", client_id=j.get("client_id"), agent_id=j.get("agent_id"),
            session_id=j.get("session_id"), access_token=str(j["access_token"]), expires_at=t("expires_at"),
            refresh_after=t("refresh_after"), refresh_token=j.get("refresh_token"),
            session_expires_at=t("session_expires_at"), scopes=tuple(str(s) for s in j.get("scopes") or ()),
            tier=j.get("tier"), obtained_at=t("obtained_at"))

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url, "client_id": self.client_id, "agent_id": self.agent_id, "session_id": self.session_id,
            "access_token": self.access_token, "expires_at": _iso(self.expires_at),
            "refresh_after": _iso(self.refresh_after), "refresh_token": self.refresh_token,
            "session_expires_at": _iso(self.session_expires_at), "scopes": list(self.scopes), "tier": self.tier,
            "obtained_at": _iso(self.obtained_at),
        }


def _iso(epoch: float) -> str:
    return format_instant(to_datetime(int(epoch)))


class CredentialCache:
    def __init__(self, home: "os.PathLike[str] | str") -> None:
        self.home = Path(home)
        self.file = self.home / FILE
        self.lock_file = self.home / LOCK_FILE

    def read(self, url: str) -> CachedSession | None:
        entry = self._read_all().get(url.rstrip("/"))
        if entry is None:
            return None
        try:
            return CachedSession.from_json(entry)
        except (KeyError, ValueError, TypeError, AttributeError):
            raise self._corrupt() from None

    def lock(self, timeout: float = LOCK_TIMEOUT) -> "CacheLock":
        return CacheLock.acquire(self.lock_file, timeout)

    def put(self, held: "CacheLock", session: CachedSession) -> None:
        if not held.held:
            raise RuntimeError("the credential cache is written only under its lock")
        sessions = self._read_all()
        sessions[session.url] = session.to_json()
        self._write({"version": 1, "sessions": sessions})

    def _read_all(self) -> dict[str, Any]:
        try:
            raw = self.file.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError:
            raise self._corrupt() from None
        try:
            root = json.loads(raw)
        except ValueError:
            raise self._corrupt() from None
        sessions = root.get("sessions") if isinstance(root, dict) else None
        if not isinstance(sessions, dict):
            raise self._corrupt()
        return dict(sessions)

    def _write(self, doc: dict[str, Any]) -> None:
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + FILE + ".", suffix=".tmp", dir=self.home)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(json.dumps(doc, indent=2).encode())
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.file)
        except OSError:
            raise PreconditionFailed(f"Cannot write the credential cache {self.file}.") from None
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def _corrupt(self) -> PreconditionFailed:
        return PreconditionFailed(
            f"The credential cache {self.file} is unreadable; delete it and log in again.",
            reauth_command="mayfly auth login")


class CacheLock:
    """Exclusive across this process's threads and other processes (Java's CacheLock takes the same lock)."""

    def __init__(self, thread_lock: threading.Lock, fd: int) -> None:
        self._thread_lock = thread_lock
        self._fd = fd
        self.held = True

    @staticmethod
    def acquire(lock_file: Path, timeout: float) -> "CacheLock":
        import fcntl

        key = lock_file.absolute()
        with _IN_PROCESS_GUARD:
            thread_lock = _IN_PROCESS.setdefault(key, threading.Lock())
        if not thread_lock.acquire(timeout=timeout):
            raise _held(lock_file, timeout)
        deadline = time.monotonic() + timeout
        try:
            lock_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(lock_file, os.O_CREAT | os.O_WRONLY, 0o600)
        except OSError:
            thread_lock.release()
            raise PreconditionFailed(f"Cannot lock the credential cache {lock_file}.") from None
        pause = 0.005
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return CacheLock(thread_lock, fd)
            except OSError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    thread_lock.release()
                    raise _held(lock_file, timeout) from None
                time.sleep(pause)  # real time: another process holds the lock
                pause = min(0.05, pause * 2)

    def close(self) -> None:
        if self.held:
            self.held = False
            import fcntl
            try:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._thread_lock.release()

    def __enter__(self) -> "CacheLock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _held(lock_file: Path, timeout: float) -> Timeout:
    return Timeout(f"Another mayfly process held the credential cache lock ({lock_file}) for over {int(timeout)}s.")


def renewed(before: CachedSession, access_token: str, expires_at: float, refresh_at: float,
            refresh_token: str | None, session_expires_at: float | None, now: float) -> CachedSession:
    """``before`` after a renewal (CachedSessionStore.renewed): new tokens, same client and agent."""
    from ._jwt import unverified_claims

    claims = unverified_claims(access_token) or {}
    exp = claims.get("exp")
    scope = claims.get("scope")
    return replace(
        before, access_token=access_token,
        expires_at=float(exp) if isinstance(exp, (int, float)) and not isinstance(exp, bool) else expires_at,
        session_id=claims.get("sid") or before.session_id, tier=claims.get("tier") or before.tier,
        scopes=tuple(scope.split()) if isinstance(scope, str) and scope.split() else before.scopes,
        refresh_after=refresh_at, refresh_token=refresh_token or before.refresh_token,
        session_expires_at=int(session_expires_at) if session_expires_at is not None else before.session_expires_at,
        obtained_at=int(now))


_ = datetime
