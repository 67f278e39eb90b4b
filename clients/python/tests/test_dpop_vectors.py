"""The shared DPoP vectors (spec/dpop/proofs.json, format in spec/README.md) through the Python verifier: the Java
verifier (DpopVectorsTest) and the TypeScript one reach the same verdict on every case. The issuer's JWKS is
served by a real loopback HTTP server; each case gets a fresh Verifier (empty replay cache) at the case's `now`."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mayfly import ManualClock, MayflyError
from mayfly.dpop_verifier import dpop_challenge
from mayfly.verifier import Verifier

VECTORS = json.loads((Path(__file__).resolve().parents[3] / "spec" / "dpop" / "proofs.json").read_text())


@pytest.fixture(scope="module")
def jwks_url():
    body = json.dumps(VECTORS["jwks"]).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/jwks.json"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[c["name"] for c in VECTORS["cases"]])
def test_the_python_verifier_reaches_the_vectors_verdict(case, jwks_url):
    now = datetime.fromisoformat(case["now"].replace("Z", "+00:00")).timestamp()
    verifier = Verifier(VECTORS["issuer"], VECTORS["audience"], jwks_url=jwks_url, clock=ManualClock(now),
                        leeway=VECTORS["leeway_seconds"])
    expect = case["expect"]
    try:
        verified = verifier.verify_request(case["authorization"], case["dpop"], case["method"], case["url"])
    except MayflyError as e:
        assert not expect["accept"], f"refused: {e.message}"
        assert e.code == expect["code"]
        assert expect["message"] in e.message
        challenge = dpop_challenge(e)
        assert challenge.startswith('DPoP realm="mayfly"') and f'error="{expect["dpop_error"]}"' in challenge
        assert getattr(e, "auth_scheme", None) == "DPoP"
        return
    finally:
        verifier.close()
    assert expect["accept"], "accepted"
    assert verified.bound_key == expect["jkt"]
