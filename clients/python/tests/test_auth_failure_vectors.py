"""Every file in spec/auth-failures/ (the vectors the Java and TypeScript suites run too): same verdicts."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from mayfly import Kind, ManualClock, classify
from mayfly.clock import parse_instant

NOW = "2026-11-22T14:00:00Z"
REQUIRED = ["mayfly", "oauth", "bearer", "dpop", "aws", "azure", "google", "github", "kubernetes", "vault", "fallback",
            "gateways", "presigned", "azure-data", "jose", "identity-providers"]


def _spec_dir() -> Path:
    for d in [Path(__file__).resolve(), *Path(__file__).resolve().parents]:
        candidate = d / "spec" / "auth-failures"
        if candidate.is_dir():
            return candidate
    raise AssertionError("spec/auth-failures/ not found above " + str(Path(__file__)))


def _cases():
    files = sorted(_spec_dir().glob("*.json"))
    names = [f.stem for f in files]
    assert set(REQUIRED) <= set(names), f"vector files missing: {set(REQUIRED) - set(names)}"
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        assert doc["sources"], f.stem + " names its sources"
        for c in doc["cases"]:
            yield pytest.param(c, id=f"{f.stem}: {c['name']}")


@pytest.mark.parametrize("case", list(_cases()))
def test_classifies_as_documented(case):
    result = classify(case["status"], case.get("headers") or {}, case["body"], _sent(case.get("sent")),
                      clock=ManualClock(NOW), clock_skew=30)
    expect = case.get("expect")
    if expect is None:
        assert result is None
        return
    assert result is not None
    assert result.kind.value == expect["kind"], result
    assert "mayfly_code" in expect, "every expectation names its catalog code"
    assert result.code == expect["mayfly_code"]
    assert result.status == case["status"]
    if "retryable" in expect:
        assert result.retryable == expect["retryable"], result
    if "recovery" in expect:
        assert result.recovery.value == expect["recovery"], result
    if "format" in expect:
        assert result.format.value == expect["format"], result
    if "code" in expect:
        assert result.source_code == expect["code"], result
    if "expired_at" in expect:
        assert result.expired_at == parse_instant(expect["expired_at"])
    if "required_scope" in expect:
        assert result.required_scope == expect["required_scope"]
    if "missing_scopes" in expect:
        assert list(result.missing_scopes) == expect["missing_scopes"]
    if "retry_after_ms" in expect:
        assert result.retry_after == timedelta(milliseconds=expect["retry_after_ms"])
    if "dpop_nonce" in expect:
        assert result.dpop_nonce == expect["dpop_nonce"]
    if "claims" in expect:
        assert result.claims_challenge == expect["claims"]
    if "reauth_command" in expect:
        assert result.reauth_command == expect["reauth_command"]
    if result.kind in (Kind.UNKNOWN, Kind.DENIED, Kind.REVOKED, Kind.MISSING):
        assert not result.retryable, "never retried automatically"
    assert result.describe()


def _sent(node):
    if node is None:
        return "unknown"
    return node  # "none", "opaque" or {"exp": ...}: classify() takes these forms as they are
