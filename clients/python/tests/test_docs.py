"""Every ```python block of docs/python.md runs as a complete program against the real broker."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli

DOC = ROOT / "docs" / "python.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def doc_env(broker, cli):
    _, _, env = cli
    cid, secret = broker.create_agent(scopes=("orders:read", "mayfly:revocations:read"),
                                      audiences=("https://orders.example",))
    env = {**env, "MAYFLY_CLIENT_ID": cid, "MAYFLY_CLIENT_SECRET": secret}
    rc, out, err = run_cli(env, "auth", "login")
    assert rc == 0, (out, err)
    return env


def test_the_doc_has_a_snippet_for_every_public_name():
    import mayfly
    text = "\n".join(BLOCKS)
    missing = [n for n in mayfly.__all__ if n not in text and n not in ("AuthError", "CredentialsMissing",
                                                                        "CredentialsRevoked", "Format",
                                                                        "PreconditionFailed", "RateLimited",
                                                                        "Timeout", "UsageError", "AuthFailure",
                                                                        "VerifiedToken", "AccessToken")]
    assert not missing, f"names without a runnable snippet in docs/python.md: {missing}"


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i + 1}" for i in range(len(BLOCKS))])
def test_snippet_runs(code, doc_env):
    r = subprocess.run([sys.executable, "-c", code], env=doc_env, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0, f"stdout:\n{r.stdout}\nstderr:\n{r.stderr[-3000:]}"
