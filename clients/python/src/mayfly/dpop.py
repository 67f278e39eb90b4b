"""DPoP (RFC 9449): the agent's proof-of-possession key and the proofs it signs, like mayfly-client's DpopKey.

A ``DpopKey`` is generated (ES256 or EdDSA) or loaded from a file (a JWK with ``d``, or a PEM ``PRIVATE KEY``)
and can be persisted as a JWK file written 0600. The private key is never printed: ``repr`` shows the algorithm
and the thumbprint (``jkt``) only. ``DpopNonces`` remembers the last ``DPoP-Nonce`` each server handed out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import posixpath
import re
import secrets
import threading
import urllib.parse
from pathlib import Path
from typing import Any, Union

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from .clock import Clock, system_clock

TYPE = "dpop+jwt"
NONCE_HEADER = "DPoP-Nonce"
PrivateKey = Union[ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey]


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64u_int(n: int, length: int | None = None) -> str:
    return b64u(n.to_bytes(length or (n.bit_length() + 7) // 8, "big"))


def _unb64u(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def ath(access_token: str) -> str:
    """RFC 9449 §4.2: base64url SHA-256 of the access token's ASCII bytes."""
    return b64u(hashlib.sha256(access_token.encode("ascii")).digest())


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint of a public JWK: the ``cnf.jkt`` of RFC 9449 §6.1."""
    required = {"OKP": ("crv", "kty", "x"), "EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n")}.get(
        str(jwk.get("kty")))
    if required is None or any(not isinstance(jwk.get(k), str) for k in required):
        raise ValueError("not a public OKP, EC or RSA JWK")
    canonical = json.dumps({k: jwk[k] for k in required}, separators=(",", ":"), sort_keys=True)
    return b64u(hashlib.sha256(canonical.encode()).digest())


def htu(url: str) -> str:
    """The ``htu`` a proof carries for ``url`` (RFC 9449 §4.2): the URI without query and fragment."""
    p = urllib.parse.urlsplit(str(url))
    return urllib.parse.urlunsplit((p.scheme, p.netloc, p.path or "/", "", ""))


def normalise_target(uri: str | None) -> str | None:
    """How a verifier compares ``htu`` with the request URI (RFC 9449 §4.3 step 9; mayfly-verifier's
    HttpTargetUri): without query and fragment, RFC 3986 §6.2.2/§6.2.3 normalised (scheme and host lower-cased,
    default port dropped, empty path ``/``, dot segments removed, percent-encodings upper-cased). None when not an
    absolute http(s) URI with a host (and no userinfo)."""
    if not isinstance(uri, str):
        return None
    try:
        p = urllib.parse.urlsplit(uri.strip())
        port = p.port
    except ValueError:
        return None
    scheme = p.scheme.lower()
    if scheme not in ("http", "https") or not p.hostname or "@" in p.netloc or re.search(r"\s", uri.strip()):
        return None
    if port == (443 if scheme == "https" else 80):
        port = None
    path = p.path or "/"
    trailing = path.endswith(("/", "/.", "/.."))
    path = posixpath.normpath(path) if path != "/" else "/"
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if trailing and not path.endswith("/"):
        path += "/"
    path = re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), path)
    host = p.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}{'' if port is None else ':' + str(port)}{path}"


class DpopKey:
    """One DPoP key pair. Thread-safe (signing keeps no state)."""

    def __init__(self, private_key: PrivateKey) -> None:
        if isinstance(private_key, ed25519.Ed25519PrivateKey):
            self.alg = "EdDSA"
        elif isinstance(private_key, ec.EllipticCurvePrivateKey) and private_key.curve.name == "secp256r1":
            self.alg = "ES256"
        elif isinstance(private_key, rsa.RSAPrivateKey) and private_key.key_size >= 2048:
            self.alg = "RS256"
        else:
            raise ValueError("a DPoP key is Ed25519, EC P-256 or RSA of 2048 bits or more")
        self._key = private_key
        self.public_jwk = _public_jwk(private_key)
        self.thumbprint = thumbprint(self.public_jwk)

    @classmethod
    def generate(cls, alg: str = "ES256") -> "DpopKey":
        if alg == "ES256":
            return cls(ec.generate_private_key(ec.SECP256R1()))
        if alg in ("EdDSA", "Ed25519"):
            return cls(ed25519.Ed25519PrivateKey.generate())
        raise ValueError("alg must be ES256 or EdDSA")

    @classmethod
    def from_text(cls, text: str) -> "DpopKey":
        """A JWK (JSON with ``d``) or a PEM ``PRIVATE KEY``; the error never quotes the text."""
        return cls(_read_private_key(text))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "DpopKey":
        return cls.from_text(Path(path).read_text(encoding="utf-8"))

    @classmethod
    def load_or_create(cls, path: str | os.PathLike[str], alg: str = "ES256") -> "DpopKey":
        """The key in ``path``, or a new one written there (0600) when the file does not exist."""
        p = Path(path)
        if p.exists():
            return cls.load(p)
        key = cls.generate(alg)
        key.save(p)
        return key

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the private JWK to ``path``, created 0600 (never readable by others, not even for a moment)."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + f".{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(_private_jwk(self._key), f)
            os.replace(tmp, p)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def proof(self, method: str, url: str, *, access_token: str | None = None, nonce: str | None = None,
              clock: Clock | None = None) -> str:
        """A fresh proof (RFC 9449 §4.2) for one request: ``typ`` dpop+jwt, the public ``jwk``, a random ``jti``,
        ``htm``, ``htu`` (without query and fragment), ``iat``; ``ath`` with an access token; the server's
        ``nonce`` when it demanded one."""
        claims: dict[str, Any] = {"jti": secrets.token_urlsafe(16), "htm": method.upper(), "htu": htu(url),
                                  "iat": int((clock or system_clock)())}
        if access_token is not None:
            claims["ath"] = ath(access_token)
        if nonce is not None:
            claims["nonce"] = nonce
        return jwt.encode(claims, self._key, algorithm=self.alg, headers={"typ": TYPE, "jwk": self.public_jwk})

    def sign_jwt(self, claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
        """A JWT signed with this key (used for ``private_key_jwt`` assertions)."""
        return jwt.encode(claims, self._key, algorithm=self.alg, headers=headers)

    def __repr__(self) -> str:
        return f"DpopKey(alg={self.alg}, jkt={self.thumbprint}, private_key=redacted)"

    __str__ = __repr__


class DpopNonces:
    """The last ``DPoP-Nonce`` each server (origin) sent (RFC 9449 §8, §9). Thread-safe."""

    def __init__(self) -> None:
        self._by_origin: dict[str, str] = {}
        self._lock = threading.Lock()

    @staticmethod
    def origin(url: str) -> str:
        p = urllib.parse.urlsplit(str(url))
        return f"{p.scheme.lower()}://{p.netloc.lower()}"

    def get(self, url: str) -> str | None:
        with self._lock:
            return self._by_origin.get(self.origin(url))

    def remember(self, url: str, headers: Any) -> str | None:
        """Keeps the response's ``DPoP-Nonce``, if any; returns it."""
        value = headers.get(NONCE_HEADER) if headers is not None else None
        if value:
            with self._lock:
                self._by_origin[self.origin(url)] = value.strip()
            return value.strip()
        return None


def _public_jwk(key: PrivateKey) -> dict[str, str]:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw)}
    if isinstance(key, ec.EllipticCurvePrivateKey):
        n = key.public_key().public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": _b64u_int(n.x, 32), "y": _b64u_int(n.y, 32)}
    rn = key.public_key().public_numbers()
    return {"kty": "RSA", "n": _b64u_int(rn.n), "e": _b64u_int(rn.e)}


def _private_jwk(key: PrivateKey) -> dict[str, str]:
    jwk = _public_jwk(key)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        jwk["d"] = b64u(key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                          serialization.NoEncryption()))
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        jwk["d"] = _b64u_int(key.private_numbers().private_value, 32)
    else:
        n = key.private_numbers()
        jwk.update(d=_b64u_int(n.d), p=_b64u_int(n.p), q=_b64u_int(n.q), dp=_b64u_int(n.dmp1),
                   dq=_b64u_int(n.dmq1), qi=_b64u_int(n.iqmp))
    return jwk


def _read_private_key(text: str) -> PrivateKey:
    t = (text or "").strip()
    try:
        if t.startswith("{"):
            jwk = json.loads(t)
            if not isinstance(jwk, dict):
                raise ValueError("not a JSON object")
            if "d" not in jwk:
                raise ValueError("the JWK holds no private key (d)")
            if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
                return ed25519.Ed25519PrivateKey.from_private_bytes(_unb64u(jwk["d"]))
            if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
                return ec.derive_private_key(int.from_bytes(_unb64u(jwk["d"]), "big"), ec.SECP256R1())
            if jwk.get("kty") == "RSA":
                return jwt.PyJWK(jwk, algorithm="RS256").key  # type: ignore[no-any-return]
            raise ValueError("unsupported JWK")
        if t.startswith("-----BEGIN PRIVATE KEY-----"):
            k = serialization.load_pem_private_key(t.encode("ascii"), password=None)
            if isinstance(k, (ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey)):
                return k
            raise ValueError("unsupported key type")
    except (ValueError, TypeError, KeyError, jwt.PyJWTError) as e:
        raise ValueError(f"the private key cannot be read ({type(e).__name__})") from None
    raise ValueError("the private key must be a JWK (JSON with d) or a PEM 'PRIVATE KEY' (PKCS #8)")
