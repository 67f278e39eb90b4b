"""Checks DPoP proofs at a resource server (RFC 9449 §4.3), like mayfly-verifier's DpopProofVerifier, with the same
checks in the same order and the same messages: one proof, well-formed, ``typ`` dpop+jwt, an asymmetric ``alg``
from the allow-list, a public ``jwk`` fitting the ``alg``, a valid signature, ``jti``/``htm``/``htu``/``iat``
present, ``htm`` and ``htu`` of this request (``htu`` normalised, without query and fragment), ``iat`` within the
window, ``ath`` = the access token's hash, and a ``jti`` not seen before (the replay cache remembers accepted
proofs for twice the window, bounded in size). Every refusal is CredentialsInvalid with ``dpop_error``.
"""

from __future__ import annotations

import base64
import hmac
import json
import threading
from collections import OrderedDict
from typing import Any, Sequence

import jwt
from jwt.exceptions import InvalidSignatureError, PyJWKError, PyJWTError

from .clock import Clock, system_clock
from .dpop import TYPE, ath, normalise_target, thumbprint
from .errors import CredentialsInvalid

MAX_PROOF_CHARS = 8 * 1024
MAX_JTI_CHARS = 256
MIN_RSA_BITS = 2048
DEFAULT_ALGORITHMS = ("EdDSA", "Ed25519", "ES256", "RS256", "PS256")
CHALLENGE_ALGS = "EdDSA ES256 RS256 PS256"

# reason → (message, RFC 9449 error); the messages are mayfly-verifier's DpopFailure, word for word.
FAILURES: dict[str, tuple[str, str]] = {
    "MISSING": ("A DPoP proof is required: send it in the DPoP header.", "invalid_dpop_proof"),
    "MULTIPLE": ("Exactly one DPoP header is allowed.", "invalid_dpop_proof"),
    "MALFORMED": ("DPoP proof is not a well-formed JWT.", "invalid_dpop_proof"),
    "WRONG_TYPE": ("DPoP proof header typ must be dpop+jwt.", "invalid_dpop_proof"),
    "ALGORITHM": ("DPoP proof must be signed with an asymmetric algorithm this server accepts.", "invalid_dpop_proof"),
    "NO_PUBLIC_KEY": ("DPoP proof header must carry the signer's public key as jwk.", "invalid_dpop_proof"),
    "PRIVATE_KEY": ("DPoP proof header jwk must be a public key, not a private one.", "invalid_dpop_proof"),
    "KEY_MISMATCH": ("DPoP proof jwk does not fit its alg.", "invalid_dpop_proof"),
    "BAD_SIGNATURE": ("DPoP proof signature is invalid.", "invalid_dpop_proof"),
    "MISSING_CLAIM": ("DPoP proof lacks a required claim (jti, htm, htu, iat).", "invalid_dpop_proof"),
    "WRONG_METHOD": ("DPoP proof htm does not match the request method.", "invalid_dpop_proof"),
    "WRONG_URI": ("DPoP proof htu does not match the request URI.", "invalid_dpop_proof"),
    "STALE": ("DPoP proof iat is outside the accepted window; sign a fresh proof.", "invalid_dpop_proof"),
    "REPLAYED": ("DPoP proof jti was already used; sign a fresh proof for every request.", "invalid_dpop_proof"),
    "MISSING_ATH": ("DPoP proof lacks ath, the hash of the access token it is sent with.", "invalid_dpop_proof"),
    "WRONG_ATH": ("DPoP proof ath does not match the access token it is sent with.", "invalid_dpop_proof"),
    "WRONG_KEY": ("DPoP proof is signed by another key than the one the token is bound to.", "invalid_token"),
    "NOT_BOUND": ("Not DPoP-bound: present this access token as Bearer, not DPoP.", "invalid_token"),
    "BOUND_AS_BEARER": ("Bound to a DPoP key: present this access token as Authorization: DPoP with a proof, "
                        "not as Bearer.", "invalid_token"),
}


def dpop_refusal(reason: str) -> CredentialsInvalid:
    """The catalog error for a refused DPoP presentation (no reauth command: logging in again does not help)."""
    message, rfc_error = FAILURES[reason]
    e = CredentialsInvalid(message, reauth_command=None)
    e.reason = reason  # type: ignore[attr-defined]
    e.dpop_error = rfc_error  # type: ignore[attr-defined]
    e.auth_scheme = "DPoP"  # type: ignore[attr-defined]
    return e


def _fits(alg: str, jwk: dict[str, Any]) -> bool:
    """Algorithm confusion stops here: Ed25519 OKP for EdDSA, P-256 for ES256, RSA ≥ 2048 bits for RS/PS."""
    kty = jwk.get("kty")
    if alg in ("EdDSA", "Ed25519"):
        return kty == "OKP" and jwk.get("crv") == "Ed25519"
    if alg == "ES256":
        return kty == "EC" and jwk.get("crv") == "P-256"
    if alg[:2] in ("RS", "PS"):
        n = jwk.get("n")
        if kty != "RSA" or not isinstance(n, str):
            return False
        try:
            raw = base64.urlsafe_b64decode(n + "=" * (-len(n) % 4))
        except ValueError:
            return False
        return int.from_bytes(raw, "big").bit_length() >= MIN_RSA_BITS
    return False


def _json_part(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


class DpopProofVerifier:
    """Thread-safe; build once and share. ``window``: how far a proof's ``iat`` may be from now, either way."""

    def __init__(self, *, clock: Clock | None = None, window: float = 60.0,
                 algorithms: Sequence[str] = DEFAULT_ALGORITHMS, replay_cache_size: int = 1_000_000) -> None:
        for a in algorithms:
            if a not in DEFAULT_ALGORITHMS and a not in ("RS384", "RS512", "PS384", "PS512"):
                raise ValueError(f"not an asymmetric JWS algorithm this verifier supports: {a}")
        self.clock = clock or system_clock
        self.window = window
        self.algorithms = list(algorithms)
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._max_seen = replay_cache_size
        self._lock = threading.Lock()

    def verify(self, proof: str | None, method: str, uri: str, access_token: str | None) -> str:
        """Checks one proof and records its ``jti``; returns the proof key's thumbprint (``jkt``)."""
        if proof is None or not proof.strip():
            raise dpop_refusal("MISSING")
        if "," in proof:
            raise dpop_refusal("MULTIPLE")
        proof = proof.strip()
        parts = proof.split(".")
        if len(proof) > MAX_PROOF_CHARS or len(parts) != 3 or not parts[0] or not parts[1]:
            raise dpop_refusal("MALFORMED")
        try:
            header = _json_part(parts[0])
            claims = _json_part(parts[1])
        except (ValueError, UnicodeDecodeError):
            raise dpop_refusal("MALFORMED") from None
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise dpop_refusal("MALFORMED")
        jwk = header.get("jwk")
        if isinstance(jwk, dict) and ("d" in jwk or "k" in jwk):
            raise dpop_refusal("PRIVATE_KEY")
        alg = header.get("alg")
        if not isinstance(alg, str) or alg.lower() == "none" or not parts[2]:
            raise dpop_refusal("MALFORMED")  # alg none is no JWS at all (RFC 7515 §4.1.1), as Nimbus parses it
        typ = header.get("typ")
        if not isinstance(typ, str) or typ.lower() != TYPE:
            raise dpop_refusal("WRONG_TYPE")
        if alg not in self.algorithms:
            raise dpop_refusal("ALGORITHM")
        if not isinstance(jwk, dict):
            raise dpop_refusal("NO_PUBLIC_KEY")
        if not _fits(alg, jwk):
            raise dpop_refusal("KEY_MISMATCH")
        try:
            key = jwt.PyJWK(jwk, algorithm="EdDSA" if alg == "Ed25519" else alg).key
            jwt.api_jws.PyJWS().decode(proof, key=key, algorithms=[alg])
        except (InvalidSignatureError, PyJWKError, PyJWTError, ValueError, TypeError):
            raise dpop_refusal("BAD_SIGNATURE") from None
        jti, iat, htm, htu = claims.get("jti"), claims.get("iat"), claims.get("htm"), claims.get("htu")
        if (not isinstance(jti, str) or not jti or len(jti) > MAX_JTI_CHARS or isinstance(iat, bool)
                or not isinstance(iat, (int, float)) or not isinstance(htm, str) or not isinstance(htu, str)):
            raise dpop_refusal("MISSING_CLAIM")
        if htm != method:
            raise dpop_refusal("WRONG_METHOD")
        expected = normalise_target(uri)
        if expected is None or expected != normalise_target(htu):
            raise dpop_refusal("WRONG_URI")
        now = self.clock()
        if iat < now - self.window or iat > now + self.window:
            raise dpop_refusal("STALE")
        if access_token is not None:
            sent = claims.get("ath")
            if not isinstance(sent, str):
                raise dpop_refusal("MISSING_ATH")
            if not hmac.compare_digest(sent.encode("ascii", "replace"), ath(access_token).encode("ascii")):
                raise dpop_refusal("WRONG_ATH")
        jkt = thumbprint(jwk)
        self._record(jkt + " " + jti, now)  # last, so a proof refused for another reason does not burn its jti
        return jkt

    def _record(self, entry: str, now: float) -> None:
        with self._lock:
            horizon = now - 2 * self.window - 1
            while self._seen and next(iter(self._seen.values())) < horizon:
                self._seen.popitem(last=False)
            if entry in self._seen:
                raise dpop_refusal("REPLAYED")
            self._seen[entry] = now
            while len(self._seen) > self._max_seen:
                self._seen.popitem(last=False)


def dpop_challenge(error: Exception, realm: str = "mayfly", algs: str = CHALLENGE_ALGS) -> str:
    """The RFC 9449 §7.1 ``WWW-Authenticate: DPoP`` challenge for a refusal (mayfly-verifier's DpopChallenge)."""
    code = getattr(error, "code", "CREDENTIALS_INVALID")
    dpop_error = getattr(error, "dpop_error", None)
    if dpop_error is not None:
        description: str | None = str(getattr(error, "message", error))
    else:
        description = {"CREDENTIALS_MISSING": None, "CREDENTIALS_EXPIRED": "token expired",
                       "CREDENTIALS_REVOKED": "token revoked",
                       "PERMISSION_DENIED": "insufficient scope"}.get(code, "token invalid")
        dpop_error = None if description is None else (
            "insufficient_scope" if code == "PERMISSION_DENIED" else "invalid_token")
    out = f'DPoP realm="{_quote(realm)}"'
    if dpop_error is not None:
        out += f', error="{_quote(dpop_error)}", error_description="{_quote(description or "")}"'
    scope = getattr(error, "required_scope", None)
    if scope:
        out += f', scope="{_quote(scope)}"'
    return out + f', algs="{algs}"'


def _quote(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')
