"""A REAL broker for the suite: `java -jar mayfly.jar server` on a free port with a temporary MAYFLY_HOME
(as mayfly-cli's black-box tests start it), its bootstrap admin from admin.json, and helpers to create agents.
Set MAYFLY_JAR to point at the jar; by default it is mayfly-cli/target/mayfly.jar of this checkout."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
JAR = Path(os.environ.get("MAYFLY_JAR") or ROOT / "mayfly-cli" / "target" / "mayfly.jar")
START_DEADLINE = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    def __init__(self, tmp: Path, policy: str | None = None) -> None:
        if not JAR.is_file():
            raise RuntimeError(f"{JAR} is missing: build it first (./mvnw -B -pl mayfly-cli -am package -DskipTests)")
        self.home = tmp / "broker-home"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "broker.log"
        java = shutil.which("java") or "java"
        env = dict(os.environ)
        env.pop("MAYFLY_TOKEN", None)
        extra: list[str] = []
        if policy is not None:  # a broker of its own for tests that need a policy file
            (tmp / "policy.toml").write_text(policy)
            extra = ["--policy", str(tmp / "policy.toml")]
        self.proc = subprocess.Popen(
            [java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", str(JAR), "server", "--listen",
             f"127.0.0.1:{self.port}", "--home", str(self.home), *extra],
            stdout=self.log.open("wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        self._await_ready()
        admin = json.loads((self.home / "admin.json").read_text())
        self.admin_id, self.admin_secret = admin["client_id"], admin["client_secret"]
        self._admin_token: str | None = None

    def _await_ready(self) -> None:
        deadline = time.monotonic() + START_DEADLINE
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the broker exited at start:\n" + self.log.read_text()[-4000:])
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200 and (self.home / "admin.json").exists():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the broker did not become ready:\n" + self.log.read_text()[-4000:])

    def admin_token(self) -> str:
        if self._admin_token is None:
            r = httpx.post(self.url + "/oauth/token", data={"grant_type": "client_credentials"},
                           auth=(self.admin_id, self.admin_secret))
            r.raise_for_status()
            self._admin_token = r.json()["access_token"]
        return self._admin_token

    def admin(self, method: str, path: str, **kw) -> httpx.Response:
        for _ in range(2):
            r = httpx.request(method, self.url + path, headers={"Authorization": "Bearer " + self.admin_token()},
                              timeout=10, **kw)
            if r.status_code == 401:
                self._admin_token = None
                continue
            return r
        return r

    def create_agent(self, scopes=("orders:read",), audiences=("https://orders.example",), kind="interactive",
                     **extra):
        """``extra``: more members of the agent, e.g. ``public_key`` (a JWK) or ``federated``; such an agent gets
        no client secret (None)."""
        r = self.admin("POST", "/v1/agents", json={"name": "py-" + uuid.uuid4().hex[:10], "kind": kind,
                                                    "scopes": list(scopes), "audiences": list(audiences), **extra})
        assert r.status_code in (200, 201), r.text
        d = r.json()["data"]
        return d["client_id"], d["client_secret"]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def broker(tmp_path_factory):
    b = Broker(tmp_path_factory.mktemp("mayfly"))
    yield b
    b.stop()


@pytest.fixture
def agent(broker):
    return broker.create_agent()


class FaultProxy:
    """A TCP relay in front of the real broker that a test can break: ``down`` refuses nothing but answers
    nothing (closes at once), ``hang`` accepts and never answers, ``delay`` answers late. Real sockets."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._mode = "pass"
        self._open: set[socket.socket] = set()
        self.delay = 0.0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = False
        self._threads: list[threading.Thread] = []
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        """A new mode also cuts the connections already open (clients keep them alive)."""
        self._mode = value
        for s in list(self._open):
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self._open.clear()

    def _accept(self) -> None:
        while not self._stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self._open.add(c)
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c: socket.socket) -> None:
        mode = self.mode
        if mode == "down":
            c.close()
            return
        if mode == "hang":
            time.sleep(30)
            c.close()
            return
        if mode == "delay":
            time.sleep(self.delay)
        try:
            u = socket.create_connection(("127.0.0.1", self.target_port))
        except OSError:
            c.close()
            return

        def pump(a: socket.socket, b: socket.socket) -> None:
            try:
                while True:
                    data = a.recv(65536)
                    if not data:
                        break
                    b.sendall(data)
            except OSError:
                pass
            finally:
                for s in (a, b):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=pump, args=(u, c), daemon=True).start()
        pump(c, u)

    def close(self) -> None:
        self._stop = True
        self.sock.close()


@pytest.fixture
def proxy(broker):
    p = FaultProxy(broker.port)
    yield p
    p.close()


class ResourceServer:
    """A real third-party HTTP server on a free port: answers scripted responses in order (then 200), and
    records the Authorization header of every request."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.script: list[tuple[int, dict, bytes]] = []
        self.seen: list[str | None] = []
        self.dpop_seen: list[str | None] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _answer(self):
                n = int(self.headers.get("Content-Length") or 0)
                if n:
                    self.rfile.read(n)
                outer.seen.append(self.headers.get("Authorization"))
                outer.dpop_seen.append(self.headers.get("DPoP"))
                status, headers, body = outer.script.pop(0) if outer.script else (200, {}, b'{"ok":true}')
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            do_GET = do_POST = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def resource():
    r = ResourceServer()
    yield r
    r.close()


@pytest.fixture(scope="session")
def cli(broker, tmp_path_factory):
    """The real `mayfly` command (the built jar) on PATH, with its own MAYFLY_HOME."""
    bindir = tmp_path_factory.mktemp("bin")
    wrapper = bindir / "mayfly"
    java = shutil.which("java") or "java"
    wrapper.write_text(f'#!/bin/sh\nexec "{java}" -XX:TieredStopAtLevel=1 -jar "{JAR}" "$@"\n')
    wrapper.chmod(0o755)
    home = tmp_path_factory.mktemp("cli-home")
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", MAYFLY_URL=broker.url,
               MAYFLY_HOME=str(home))
    env.pop("MAYFLY_TOKEN", None)
    return wrapper, home, env


def run_cli(env, *args, **extra):
    r = subprocess.run(["mayfly", *args, "--json"], env={**env, **extra}, capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    return r.returncode, (json.loads(r.stdout) if r.stdout.strip().startswith("{") else r.stdout), r.stderr
