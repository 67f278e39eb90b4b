"""The CLI's cached session, shared both ways with the real `mayfly` command: Python reads what
`mayfly auth login` wrote, renews it under the CLI's lock and writes it back in the CLI's format; the CLI goes
on with the renewed session (no refresh-token reuse, which would revoke it)."""

from __future__ import annotations

import json
import os
import stat
import time

from conftest import run_cli
from mayfly import ManualClock, TokenProvider


def test_python_and_the_cli_share_one_session(broker, cli):
    _, home, env = cli
    cid, secret = broker.create_agent()
    rc, out, err = run_cli(env, "auth", "login", MAYFLY_CLIENT_ID=cid, MAYFLY_CLIENT_SECRET=secret)
    assert rc == 0, (out, err)
    cache = json.loads((home / "credentials.json").read_text())["sessions"][broker.url]

    clock = ManualClock(time.time())
    tokens = TokenProvider(broker.url, use_cli_session=True, mayfly_home=home, clock=clock)
    first = tokens.token()
    assert first.value == cache["access_token"] and first.session_id == cache["session_id"]

    clock.set(first.refresh_at + 1)  # due: Python renews the CLI's session and saves it
    second = tokens.token()
    assert second.value != first.value
    after = json.loads((home / "credentials.json").read_text())["sessions"][broker.url]
    assert after["access_token"] == second.value and after["refresh_token"] != cache["refresh_token"]
    assert after["client_id"] == cache["client_id"] and after["session_id"] == cache["session_id"]
    assert stat.S_IMODE(os.stat(home / "credentials.json").st_mode) == 0o600

    # The CLI takes the renewed session as its own: whoami, then its own refresh with Python's refresh token.
    rc, out, err = run_cli(env, "whoami")
    assert rc == 0 and out["data"]["session_id"] == first.session_id, (out, err)
    rc, out, err = run_cli(env, "auth", "refresh")
    assert rc == 0, (out, err)
    # Python, holding a token the CLI has since replaced, adopts the CLI's renewal instead of reusing.
    clock.set(second.refresh_at + 1)
    third = tokens.token()
    final = json.loads((home / "credentials.json").read_text())["sessions"][broker.url]
    assert third.session_id == first.session_id and third.value == final["access_token"]
    # Had either side presented a rotated refresh token, the broker would have revoked the session by now.
    rc, out, _ = run_cli(env, "whoami")
    assert rc == 0 and out["data"]["session_id"] == first.session_id, out
    tokens.close()


def test_no_cached_session_is_credentials_missing(tmp_path, broker):
    import pytest
    from mayfly import CredentialsMissing
    with pytest.raises(CredentialsMissing) as e:
        TokenProvider(broker.url, use_cli_session=True, mayfly_home=tmp_path).token()
    assert e.value.reauth_command == "mayfly auth login" and e.value.exit_code == 4
