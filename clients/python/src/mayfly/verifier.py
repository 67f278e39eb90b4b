"""Verifier: checks Mayfly access tokens at a resource server (tool, API, MCP server), like mayfly-verifier.

The pipeline, in mayfly-verifier's order, each rejection a typed exception with the same catalog code and
``reason``: size → JOSE header (algorithm allow-list, ``typ: at+jwt``, no jku/x5u/jwk/x5c/crit/b64/cty/zip/enc,
a ``kid``) → key (JWKS, cached; an unknown kid refetches once, at most every ``refetch_interval``) → signature
(PyJWT: EdDSA, RS256) → issuer → audience → nbf → iat → revocation → expiry → scopes. Expiry is checked only
after the signature verified, so a forged or garbled token is CREDENTIALS_INVALID, never "expired".
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import httpx
import jwt
from jwt.exceptions import InvalidSignatureError, PyJWKError, PyJWTError

from .clock import Clock, format_instant, system_clock, to_datetime
from .dpop_verifier import DpopProofVerifier, dpop_refusal
from .errors import CredentialsExpired, CredentialsInvalid, CredentialsMissing, CredentialsRevoked, MayflyError, \
    PermissionDenied, Unavailable

if TYPE_CHECKING:
    from .revocation import RevocationFeed

LOGIN = "mayfly auth login"
REFRESH = "mayfly auth refresh"
FORBIDDEN_HEADERS = ("jku", "x5u", "jwk", "x5c", "crit", "b64", "cty", "zip", "enc")
SUPPORTED = {"EdDSA": "OKP", "Ed25519": "OKP", "RS256": "RSA", "RS384": "RSA", "RS512": "RSA", "PS256": "RSA",
             "PS384": "RSA", "PS512": "RSA"}
MAX_JWKS_BYTES = 512 * 1024


def _reject(cls: type[MayflyError], reason: str, message: str, reauth: str | None, **kw: Any) -> MayflyError:
    e = cls(message, reauth_command=reauth, **kw)
    e.reason = reason  # type: ignore[attr-defined]
    return e


@dataclass(frozen=True)
class VerifiedToken:
    """The claims of a token that passed every check."""

    claims: dict[str, Any] = field(repr=False)

    @property
    def subject(self) -> str:
        return str(self.claims.get("sub"))

    @property
    def scopes(self) -> tuple[str, ...]:
        s = self.claims.get("scope")
        return tuple(s.split()) if isinstance(s, str) else ()

    @property
    def session_id(self) -> str | None:
        return self.claims.get("sid")

    @property
    def task_id(self) -> str | None:
        return self.claims.get("task")

    @property
    def jti(self) -> str | None:
        return self.claims.get("jti")

    @property
    def expires_at(self) -> float:
        return float(self.claims["exp"])

    @property
    def bound_key(self) -> str | None:
        """RFC 9449 §6.1: the thumbprint (``cnf.jkt``) of the DPoP key the token is bound to, or None."""
        return _bound_key(self.claims)

    def __repr__(self) -> str:
        return f"VerifiedToken(sub={self.subject!r}, task={self.task_id!r}, scopes={self.scopes!r})"


class Verifier:
    """Thread-safe. ``audience``: the audience(s) this resource server answers to (None: any, for tools that
    only check identity). ``jwks_url`` defaults to ``issuer + "/jwks.json"``."""

    def __init__(self, issuer: str, audience: str | Sequence[str] | None, *, jwks_url: str | None = None,
                 algorithms: Sequence[str] = ("EdDSA", "RS256"), leeway: float = 30.0, clock: Clock | None = None,
                 http: httpx.Client | None = None, jwks_ttl: float = 300.0, refetch_interval: float = 10.0,
                 max_token_bytes: int = 8192, revocations: "RevocationFeed | None" = None,
                 dpop: DpopProofVerifier | None = None) -> None:
        for a in algorithms:
            if a.lower() == "none" or a.lower().startswith("hs"):
                raise ValueError(f"algorithm {a} is never accepted: a verifier of public-key signatures must "
                                 "refuse none and HMAC")
            if a not in SUPPORTED:
                raise ValueError(f"unsupported algorithm {a}; supported: {', '.join(SUPPORTED)}")
        self.issuer = issuer.rstrip("/")
        self.audiences = None if audience is None else ([audience] if isinstance(audience, str) else list(audience))
        self.jwks_url = jwks_url or self.issuer + "/jwks.json"
        self.algorithms = list(algorithms)
        self.leeway = leeway
        self.clock = clock or system_clock
        self._http = http or httpx.Client(timeout=5.0)
        self.jwks_ttl = jwks_ttl
        self.refetch_interval = refetch_interval
        self.max_token_bytes = max_token_bytes
        self.revocations = revocations
        self.dpop = dpop or DpopProofVerifier(clock=self.clock)
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()
        self.jwks_fetches = 0

    # ---- public ----

    def verify(self, token: str | None, scopes: Iterable[str] = ()) -> VerifiedToken:
        """A token presented as Bearer: the verified token, or a typed MayflyError (``.reason`` says which check
        failed). A DPoP-bound token is refused here (no downgrade: a stolen copy must not work as a bearer token)."""
        claims = self._authenticate(token)
        if _bound_key(claims) is not None:
            raise dpop_refusal("BOUND_AS_BEARER")
        return self._check(claims, scopes)

    def verify_dpop(self, token: str | None, proof: str | None, method: str, url: str,
                    scopes: Iterable[str] = ()) -> VerifiedToken:
        """A token presented as ``Authorization: DPoP <token>`` with its proof (RFC 9449 §7.1): the proof must pass
        every check for this method and absolute URL, carry ``ath`` and be signed by the key of ``cnf.jkt``; an
        unbound token is refused (it is a Bearer token). Every refusal has ``auth_scheme`` "DPoP", so its
        challenge is ``WWW-Authenticate: DPoP`` (``mayfly.dpop_verifier.dpop_challenge``)."""
        try:
            claims = self._authenticate(token)
            bound = _bound_key(claims)
            if bound is None:
                raise dpop_refusal("NOT_BOUND")
            if self.dpop.verify(proof, method, url, token) != bound:
                raise dpop_refusal("WRONG_KEY")
            return self._check(claims, scopes)
        except MayflyError as e:
            e.auth_scheme = "DPoP"  # type: ignore[attr-defined]
            raise

    def verify_request(self, authorization: str | None, dpop: Sequence[str] | str | None, method: str, url: str,
                       scopes: Iterable[str] = ()) -> VerifiedToken:
        """One request's credential from its ``Authorization`` header and every ``DPoP`` header value: Bearer as
        ``verify`` (a bound token refused), DPoP as ``verify_dpop`` (more than one DPoP header refused)."""
        token = dpop_token(authorization)
        if token is None:
            return self.verify(bearer_token(authorization), scopes)
        proofs = [dpop] if isinstance(dpop, str) else list(dpop or ())
        if len(proofs) > 1:
            raise dpop_refusal("MULTIPLE")
        return self.verify_dpop(token, proofs[0] if proofs else None, method, url, scopes)

    def verify_ignoring_binding(self, token: str | None, scopes: Iterable[str] = ()) -> VerifiedToken:
        """Every check but sender constraint: for a token handed over as data (introspection, a leak report),
        never for authorising a request."""
        return self._check(self._authenticate(token), scopes)

    def _check(self, claims: dict[str, Any], scopes: Iterable[str]) -> VerifiedToken:
        now = self.clock()
        nbf = claims.get("nbf")
        if nbf is not None and nbf > now + self.leeway:
            raise _reject(CredentialsInvalid, "NOT_YET_VALID", "Access token is not yet valid.", None)
        iat = claims.get("iat")
        if iat is not None and iat > now + self.leeway:
            raise _reject(CredentialsInvalid, "ISSUED_IN_THE_FUTURE", "Access token was issued in the future.", LOGIN)
        if self.revocations is not None:
            self.revocations.check(claims)
        exp = claims["exp"]
        if not exp + self.leeway > now:
            at = to_datetime(int(exp))
            raise _reject(CredentialsExpired, "EXPIRED", f"Access token expired at {format_instant(at)}.", REFRESH,
                          expired_at=at)
        required = list(dict.fromkeys(scopes))
        if required:
            held = set(claims.get("scope", "").split()) if isinstance(claims.get("scope"), str) else set()
            missing = tuple(s for s in required if s not in held)
            if missing:
                raise _reject(PermissionDenied, "INSUFFICIENT_SCOPE",
                              f"Access token lacks required scope: {' '.join(missing)}.", None,
                              required_scope=" ".join(required), missing_scopes=missing)
        return VerifiedToken(claims)

    def close(self) -> None:
        self._http.close()

    # ---- steps ----

    def _authenticate(self, token: str | None) -> dict[str, Any]:
        if token is None or not token.strip():
            raise _reject(CredentialsMissing, "MISSING", "No access token was presented.", LOGIN)
        if len(token) > self.max_token_bytes:
            raise _reject(CredentialsInvalid, "OVERSIZED", "Access token is too large.", LOGIN)
        header = _header(token)
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.algorithms:
            raise _reject(CredentialsInvalid, "ALGORITHM_NOT_ALLOWED",
                          "Access token is signed with an algorithm this verifier does not accept.", LOGIN)
        typ = header.get("typ")
        if not isinstance(typ, str) or typ.lower() not in ("at+jwt", "application/at+jwt"):
            raise _reject(CredentialsInvalid, "WRONG_TYPE", "Access token is not of type at+jwt.", LOGIN)
        if any(h in header for h in FORBIDDEN_HEADERS):
            raise _reject(CredentialsInvalid, "FORBIDDEN_HEADER",
                          "Access token header carries a parameter this verifier refuses.", LOGIN)
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise _reject(CredentialsInvalid, "NO_KEY_ID", "Access token header has no key id (kid).", LOGIN)
        jwk = self._key(kid)
        if jwk is None:
            raise _reject(CredentialsInvalid, "UNKNOWN_KEY", "Access token is signed with an unknown signing key.",
                          LOGIN)
        if jwk.get("kty") != SUPPORTED[alg] or (SUPPORTED[alg] == "OKP" and jwk.get("crv") != "Ed25519"):
            raise _reject(CredentialsInvalid, "KEY_MISMATCH",
                          "Access token signing key does not fit the token's algorithm.", LOGIN)
        try:
            key = jwt.PyJWK(jwk, algorithm=alg).key
            payload = jwt.api_jws.PyJWS().decode(token, key=key, algorithms=[alg])
        except InvalidSignatureError:
            raise _reject(CredentialsInvalid, "BAD_SIGNATURE", "Access token signature is invalid.", LOGIN) from None
        except (PyJWKError, PyJWTError, ValueError, TypeError):
            raise _reject(CredentialsInvalid, "MALFORMED", "Access token is not a well-formed JWS.", LOGIN) from None
        try:
            claims = json.loads(payload)
        except ValueError:
            claims = None
        if not isinstance(claims, dict):
            raise _reject(CredentialsInvalid, "MALFORMED_CLAIMS", "Access token claims are malformed.", LOGIN)
        if claims.get("iss") != self.issuer:
            raise _reject(CredentialsInvalid, "WRONG_ISSUER", "Access token was issued by another issuer.", LOGIN)
        if self.audiences is not None:
            aud = claims.get("aud")
            auds = [aud] if isinstance(aud, str) else (aud if isinstance(aud, list) else None)
            if auds is None:
                raise _reject(CredentialsInvalid, "MALFORMED_CLAIMS", "Access token claims are malformed.", LOGIN)
            if not any(a in self.audiences for a in auds):
                raise _reject(CredentialsInvalid, "WRONG_AUDIENCE", "Access token is not meant for this audience.",
                              _reissue_for(claims, self.audiences[0]))
        for name in ("exp", "iat", "nbf"):
            v = claims.get(name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v < 1e11):
                raise _reject(CredentialsInvalid, "MALFORMED_CLAIMS", "Access token claims are malformed.", LOGIN)
        if "cnf" in claims and _bound_key(claims) is None:  # a confirmation we cannot check is no confirmation
            raise _reject(CredentialsInvalid, "MALFORMED_CLAIMS", "Access token claims are malformed.", LOGIN)
        if "exp" not in claims or not isinstance(claims.get("sub"), str):
            raise _reject(CredentialsInvalid, "MISSING_CLAIM", "Access token lacks a required claim.", LOGIN)
        return claims

    def _key(self, kid: str) -> dict[str, Any] | None:
        with self._lock:
            now = self.clock()
            fresh = self._fetched_at is not None and now - self._fetched_at < self.jwks_ttl
            if not fresh:
                self._fetch(now, keep_on_failure=self._fetched_at is not None)
            elif kid not in self._keys and now - (self._fetched_at or 0) >= self.refetch_interval:
                self._fetch(now, keep_on_failure=True)  # unknown kid: a rotation the cache has not seen
            return self._keys.get(kid)

    def _fetch(self, now: float, keep_on_failure: bool) -> None:
        self.jwks_fetches += 1
        try:
            with self._http.stream("GET", self.jwks_url) as r:
                if r.status_code != 200:
                    raise ValueError(f"HTTP {r.status_code}")
                buf = bytearray()
                for chunk in r.iter_bytes():
                    buf += chunk
                    if len(buf) > MAX_JWKS_BYTES:
                        raise ValueError("JWKS too large")
            doc = json.loads(bytes(buf))
            keys = doc.get("keys") if isinstance(doc, dict) else None
            if not isinstance(keys, list):
                raise ValueError("no keys array")
            parsed = {k["kid"]: k for k in keys if isinstance(k, dict) and isinstance(k.get("kid"), str)
                      and k.get("kty") in ("OKP", "RSA")}
        except (httpx.HTTPError, ValueError, TypeError, KeyError):
            if keep_on_failure and self._keys:
                self._fetched_at = now  # keep serving the keys we had; try again after the TTL
                return
            raise _reject(Unavailable, "KEYS_UNAVAILABLE", "The issuer's signing keys are unavailable.", None,
                          retry_after_ms=1000) from None
        self._keys = parsed
        self._fetched_at = now


def _header(token: str) -> dict[str, Any]:
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts):
        raise _reject(CredentialsInvalid, "MALFORMED", "Access token is not a well-formed JWS.", LOGIN)
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except (ValueError, UnicodeDecodeError):
        header = None
    if not isinstance(header, dict):
        raise _reject(CredentialsInvalid, "MALFORMED", "Access token is not a well-formed JWS.", LOGIN)
    return header


def _bound_key(claims: dict[str, Any]) -> str | None:
    cnf = claims.get("cnf")
    jkt = cnf.get("jkt") if isinstance(cnf, dict) else None
    return jkt if isinstance(jkt, str) and jkt.strip() else None


def dpop_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: DPoP ...`` header (RFC 9449 §7.1), or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    return value.strip() or None if scheme.lower() == "dpop" else None


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header (RFC 6750 §2.1), or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


_ = CredentialsRevoked


_SHELL_SPECIAL = set("\"'\\$`;&|<>()*?[]{}~#!")


def _plain(word: str) -> bool:
    """A value that can stand as one word of a command run verbatim: no quoting, nothing a shell expands."""
    return bool(word) and all(0x20 < ord(c) < 0x7F and c not in _SHELL_SPECIAL for c in word)


def _reissue_for(claims: dict[str, Any], audience: str) -> str | None:
    """`mayfly token issue --scope S... --audience A` with the token's own scopes: `--scope` is required, so a
    command without it would fail when run as given; None when no scope is a plain word."""
    scope = claims.get("scope")
    scopes = [s for s in scope.split() if _plain(s)] if isinstance(scope, str) else []
    if not scopes or not _plain(audience):
        return None
    return "mayfly token issue " + " ".join("--scope " + s for s in scopes) + " --audience " + audience
