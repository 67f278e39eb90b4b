"""The classifier's rules one at a time, beside the shared vectors: wording classes, stated expiry times, the
date forms servers write, validity windows, lenient challenges, and the expiry it reports."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from mayfly import Format, Kind, ManualClock, Recovery, classify
from mayfly._challenge import parse_challenges
from mayfly._expiry import ValidityWindow, stated_expiry
from mayfly._instants import parse_offset_date_time, parse_rfc1123
from mayfly._wording import Meaning, meaning_of
from mayfly.clock import parse_instant

NOW = "2026-11-22T14:00:00Z"
PAST = {"exp": "2026-11-22T13:00:00Z"}
FUTURE = {"exp": "2026-11-22T15:00:00Z"}


def _classify(status, body="", headers=None, sent=None):
    return classify(status, headers or {}, body, sent, clock=ManualClock(NOW), clock_skew=30)


def _utc(*a):
    return datetime(*a, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, meaning", [
    ("Jwt is expired", Meaning.EXPIRED),
    ("Signature has expired", Meaning.EXPIRED),  # PyJWT: expiry, not a wrong signature
    ('"exp" claim timestamp check failed', Meaning.EXPIRED),
    ("IDX10223: Lifetime validation failed.", Meaning.EXPIRED),
    ("Access token has expired or is not yet valid.", Meaning.EXPIRED),  # expiry is asked before not-yet-valid
    ("Token not yet valid", Meaning.NOT_YET_VALID),
    ('"nbf" claim timestamp check failed', Meaning.NOT_YET_VALID),
    ("token revoked", Meaning.REVOKED),
    ("AKV10000: Request is missing a Bearer or PoP token.", Meaning.MISSING),
    ("Missing Authorization Header", Meaning.MISSING),
    ("AKV10022: Invalid audience.", Meaning.WRONG_CREDENTIAL),
    ("Invalid API key", Meaning.WRONG_CREDENTIAL),
    # two causes joined by "or" decide nothing
    ("The access token is invalid or has expired", None),
    ("missing or malformed jwt", None),
    # "missing" about something other than the credential, or with no credential word
    ("token is missing required scopes", None),
    ("parameter is missing", None),
    # a request's or signature's timestamp is not the credential's expiry
    ("Request has expired", None),
    ("Signature expired: 20201123T000000Z is now earlier than 20201123T000500Z", None),
    ("", None),
    (None, None),
])
def test_words_name_one_cause_or_none(text, meaning):
    assert meaning_of(text) is meaning


def test_two_causes_leave_it_to_the_token_exp():
    body = json.dumps({"message": "The token is invalid or has expired"})
    assert _classify(401, body, sent=FUTURE).kind is Kind.INVALID
    past = _classify(401, body, sent=PAST)
    assert (past.kind, past.format, past.expired_at) == (Kind.EXPIRED, Format.TOKEN_EXPIRY, parse_instant(PAST["exp"]))
    assert _classify(401, body).kind is Kind.UNKNOWN


def test_wrong_credential_words_are_invalid_whatever_the_exp():
    f = _classify(401, json.dumps({"message": "Invalid audience"}), sent=PAST)
    assert (f.kind, f.format) == (Kind.INVALID, Format.MESSAGE)


def test_body_words_are_read_only_on_401_and_403():
    assert _classify(500, json.dumps({"message": "jwt expired"}), sent=PAST).kind is Kind.UNKNOWN
    assert _classify(400, json.dumps({"message": "parameter 'key' is missing"}), sent="none").kind is Kind.UNKNOWN
    f = _classify(403, "Jwt is expired")  # a short plain-text body is a message
    assert (f.kind, f.format) == (Kind.EXPIRED, Format.MESSAGE)
    assert _classify(401, "<html><body>jwt expired</body></html>").kind is Kind.UNKNOWN, "markup is no message"


def test_not_yet_valid_is_the_clock():
    f = _classify(401, json.dumps({"detail": "The token is not yet valid (nbf)"}), sent=FUTURE)
    assert (f.kind, f.recovery, f.retryable) == (Kind.INVALID, Recovery.FIX_CLOCK, False)


@pytest.mark.parametrize("text, at", [
    ("Jwt expired at 2026-11-22T13:55:00Z", _utc(2026, 11, 22, 13, 55)),
    ("Request signature expired at: 2020-07-29T18:17:19+02:00", _utc(2020, 7, 29, 16, 17, 19)),
    ("IDX10223: Lifetime validation failed. The token expired at '11/22/2026 13:55:00'.", _utc(2026, 11, 22, 13, 55)),
    ("The token expired at '4/31/2026 13:55:00'", _utc(2026, 4, 30, 13, 55)),  # java.time's smart day: the 30th
    ("ExpiredToken: The token is expired. Expiration time: '2018-11-04 05:05:25Z'.", _utc(2018, 11, 4, 5, 5, 25)),
    ("The access token expiry UTC time '3/19/2023 8:55:46 PM' is earlier than current UTC time",
     _utc(2023, 3, 19, 20, 55, 46)),
    ("The access token expiry UTC time '3/19/2023 12:05:00 AM' is earlier", _utc(2023, 3, 19, 0, 5)),
    ("Request has expired: 1600000000", _utc(2020, 9, 13, 12, 26, 40)),
    ("Jwt expired at 2026-02-30T13:55:00Z", None),  # ISO is strict: no such day
    ("Jwt is expired", None),
    (None, None),
])
def test_stated_expiry_forms(text, at):
    assert stated_expiry(text) == at


def test_a_stated_time_beats_the_token_exp_and_a_body_expired_at_beats_both():
    f = _classify(401, json.dumps({"message": "Jwt expired at 2026-11-22T13:55:00Z"}), sent=PAST)
    assert f.expired_at == _utc(2026, 11, 22, 13, 55)
    body = json.dumps({"name": "TokenExpiredError", "message": "jwt expired", "expiredAt": "2026-11-22T13:50:00.000Z"})
    assert _classify(401, body, sent=PAST).expired_at == _utc(2026, 11, 22, 13, 50)
    nested = json.dumps({"message": "jwt expired", "inner": {"name": "TokenExpiredError", "expiredAt": "2026-11-22T13:51:00Z"}})
    assert _classify(401, nested).expired_at == _utc(2026, 11, 22, 13, 51)


def test_iso_and_rfc1123_are_read_as_java_time_reads_them():
    assert parse_offset_date_time("2026-11-22T13:55Z") == _utc(2026, 11, 22, 13, 55)
    assert parse_offset_date_time("2026-11-22T13:55:00.123456789-01:30") == datetime(
        2026, 11, 22, 15, 25, 0, 123456, tzinfo=timezone.utc)
    assert parse_offset_date_time("2026-11-22 13:55:00Z") is None
    assert parse_offset_date_time("2026-11-22T13:55:00") is None, "no zone, no instant"
    assert parse_offset_date_time("2026-11-22T13:55:00+19:00") is None
    assert parse_rfc1123("Sun, 22 Nov 2026 13:55:00 GMT") == _utc(2026, 11, 22, 13, 55)
    assert parse_rfc1123("sun, 22 nov 2026 13:55:00 GMT") == _utc(2026, 11, 22, 13, 55)
    assert parse_rfc1123("Mon, 22 Nov 2026 13:55:00 GMT") is None, "the weekday is checked"
    assert parse_rfc1123("22 Nov 2026 13:55:00 +0100") == _utc(2026, 11, 22, 12, 55)


def test_a_validity_window_decides_by_the_server_clock():
    sas = ("Signature not valid in the specified time frame: Start [Sun, 22 Nov 2026 13:00:00 GMT] - "
           "Expiry [Sun, 22 Nov 2026 13:30:00 GMT] - Current [Sun, 22 Nov 2026 13:45:00 GMT]")
    w = ValidityWindow.find(sas)
    assert w is not None and w.expiry == _utc(2026, 11, 22, 13, 30)
    expired = w.verdict("AuthenticationFailed", "m")
    assert expired is not None and expired.kind is Kind.EXPIRED and expired.expired_at == w.expiry
    early = ValidityWindow(w.start, w.expiry, _utc(2026, 11, 22, 12, 0)).verdict(None, None)
    assert early is not None and (early.kind, early.recovery) == (Kind.INVALID, Recovery.FIX_CLOCK)
    assert ValidityWindow(w.start, w.expiry, _utc(2026, 11, 22, 13, 10)).verdict(None, None) is None
    assert ValidityWindow.find(sas.replace("Sun, 22", "Mon, 22")) is None, "a date that is no date: no window"


def test_challenges_with_space_separated_params_and_unquoted_urls():
    [c] = parse_challenges(['Bearer scope="" error="invalid_token" error_description="The token has expired"'])
    assert c.params == {"scope": "", "error": "invalid_token", "error_description": "The token has expired"}
    [s] = parse_challenges(["Bearer authorization_uri=https://login.microsoftonline.com/t/oauth2/authorize "
                            "resource_id=https://storage.azure.com"])
    assert s.param("authorization_uri") == "https://login.microsoftonline.com/t/oauth2/authorize"
    assert s.param("resource_id") == "https://storage.azure.com"
    two = parse_challenges(['Basic realm="x" Bearer error="invalid_token"'])
    assert [(c.scheme, c.params) for c in two] == [("basic", {"realm": "x"}), ("bearer", {"error": "invalid_token"})]
    pair = parse_challenges(["Negotiate abc==, Bearer realm=api"])
    assert [c.scheme for c in pair] == ["negotiate", "bearer"] and pair[1].param("realm") == "api"


def test_expired_at_is_never_a_future_instant():
    said = {"WWW-Authenticate": 'Bearer error="invalid_token", error_description="The access token expired"'}
    f = _classify(401, headers=said, sent=FUTURE)
    assert f.kind is Kind.EXPIRED and f.expired_at is None
    assert _classify(401, headers=said, sent=PAST).expired_at == parse_instant(PAST["exp"])
    within_skew = {"exp": "2026-11-22T14:00:20Z"}
    assert _classify(401, headers=said, sent=within_skew).expired_at == parse_instant(within_skew["exp"])


def test_a_403_with_nothing_sent_is_missing():
    f = _classify(403, "RBAC: access denied", sent="none")
    assert (f.kind, f.format, f.recovery) == (Kind.MISSING, Format.HTTP_STATUS, Recovery.ATTACH_CREDENTIAL)
    assert _classify(403, "RBAC: access denied", sent="opaque").kind is Kind.DENIED
