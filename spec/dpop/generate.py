#!/usr/bin/env python3
"""Writes spec/dpop/proofs.json: DPoP (RFC 9449) presentations to a resource server, each with the verdict every
Mayfly verifier must reach (the Java TokenVerifier.verifyRequest, the Python mayfly.verifier, the TypeScript one).

Run from anywhere with a Python that has `cryptography` (>= 42):  python3 spec/dpop/generate.py
Keys are derived from fixed seeds, so the keys, thumbprints, tokens and EdDSA/RS256 proofs come out identical on
every run; ES256 signatures are randomised by the ECDSA signer and differ (they verify the same).
Nothing here is a secret: the private keys exist only to sign these vectors.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import random
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

NOW = "2026-11-22T14:00:00Z"
T = int(datetime(2026, 11, 22, 14, 0, 0, tzinfo=timezone.utc).timestamp())
ISSUER = "https://broker.test"
AUDIENCE = "https://api.test"
URL = "https://api.test/orders"
ISSUER_KID = "spec-dpop-issuer-1"
OUT = Path(__file__).resolve().parent / "proofs.json"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_int(n: int, length: int | None = None) -> str:
    length = length or (n.bit_length() + 7) // 8
    return b64u(n.to_bytes(length, "big"))


def seed(label: str) -> bytes:
    return hashlib.sha256(("mayfly spec/dpop " + label).encode()).digest()


# ---- keys from fixed seeds ----

def ed25519_key(label: str) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed(label))


def p256_key(label: str) -> ec.EllipticCurvePrivateKey:
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    return ec.derive_private_key(int.from_bytes(seed(label), "big") % (order - 1) + 1, ec.SECP256R1())


def _probable_prime(rng: random.Random, bits: int) -> int:
    small = [p for p in range(3, 2000, 2) if all(p % q for q in range(3, int(p ** 0.5) + 1, 2))]
    while True:
        n = rng.getrandbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if any(n % p == 0 for p in small):
            continue
        d, s = n - 1, 0
        while d % 2 == 0:
            d, s = d // 2, s + 1
        for _ in range(40):
            x = pow(rng.randrange(2, n - 1), d, n)
            if x in (1, n - 1):
                continue
            for _ in range(s - 1):
                x = pow(x, 2, n)
                if x == n - 1:
                    break
            else:
                break
        else:
            return n


def rsa_key(label: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """A deterministic RSA key: primes drawn from a PRNG seeded with the label (fine for test vectors only)."""
    rng = random.Random(seed(label))
    e = 65537
    while True:
        p, q = _probable_prime(rng, bits // 2), _probable_prime(rng, bits // 2)
        if p != q and (p * q).bit_length() == bits and (p - 1) % e and (q - 1) % e:
            break
    n, d = p * q, pow(e, -1, (p - 1) * (q - 1) // math.gcd(p - 1, q - 1))
    numbers = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, n))
    return numbers.private_key()


# ---- JWK, thumbprints, signing ----

def public_jwk(key: Any) -> dict[str, str]:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw)}
    if isinstance(key, ec.EllipticCurvePrivateKey):
        pn = key.public_key().public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": b64u_int(pn.x, 32), "y": b64u_int(pn.y, 32)}
    pn = key.public_key().public_numbers()
    return {"kty": "RSA", "n": b64u_int(pn.n), "e": b64u_int(pn.e)}


def private_jwk(key: Any) -> dict[str, str]:
    jwk = public_jwk(key)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        jwk["d"] = b64u(key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                          serialization.NoEncryption()))
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        jwk["d"] = b64u_int(key.private_numbers().private_value, 32)
    else:
        jwk["d"] = b64u_int(key.private_numbers().d)
    return jwk


def thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638: SHA-256 of the required members, sorted, no whitespace."""
    required = {"OKP": ("crv", "kty", "x"), "EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n")}[jwk["kty"]]
    canonical = json.dumps({k: jwk[k] for k in required}, separators=(",", ":"), sort_keys=True)
    return b64u(hashlib.sha256(canonical.encode()).digest())


def sign(key: Any, alg: str, data: bytes) -> bytes:
    if alg == "EdDSA":
        return key.sign(data)
    if alg == "ES256":
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    if alg == "RS256":
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    raise ValueError(alg)


def compact(header: dict[str, Any], claims: dict[str, Any], key: Any = None, alg: str | None = None) -> str:
    """header.payload.signature; with no key, the signature part is empty (alg none)."""
    signing_input = (b64u(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64u(json.dumps(claims, separators=(",", ":")).encode()))
    if key is None:
        return signing_input + "."
    return signing_input + "." + b64u(sign(key, alg or header["alg"], signing_input.encode("ascii")))


def ath(token: str) -> str:
    return b64u(hashlib.sha256(token.encode("ascii")).digest())


# ---- the cases ----

ISSUER_KEY = ed25519_key("issuer")
KEYS = {"EdDSA": ed25519_key("client ed25519"), "ES256": p256_key("client p-256"), "RS256": rsa_key("client rsa")}
OTHER = ed25519_key("another client")


def access_token(jkt: str | None, exp: int = T + 540, jti: str = "at-1") -> str:
    claims: dict[str, Any] = {"iss": ISSUER, "sub": "agent-7", "aud": AUDIENCE, "exp": exp, "iat": exp - 600,
                              "nbf": exp - 600, "jti": jti, "client_id": "cli_agent7",
                              "scope": "orders:read orders:write", "sid": "ses-1", "tier": "standard"}
    if jkt is not None:
        claims["cnf"] = {"jkt": jkt}
    return compact({"alg": "EdDSA", "typ": "at+jwt", "kid": ISSUER_KID}, claims, ISSUER_KEY)


def proof(key: Any, alg: str, token: str | None, *, htm: str = "GET", htu: str = URL, iat: int = T,
          jti: str = "proof-1", typ: str | None = "dpop+jwt", jwk: dict[str, str] | None = None,
          signer: Any = None, drop: tuple[str, ...] = (), with_ath: str | None = None) -> str:
    header: dict[str, Any] = {"typ": typ, "alg": alg, "jwk": jwk if jwk is not None else public_jwk(key)}
    header = {k: v for k, v in header.items() if v is not None}
    claims: dict[str, Any] = {"jti": jti, "htm": htm, "htu": htu, "iat": iat}
    if token is not None:
        claims["ath"] = with_ath if with_ath is not None else ath(token)
    for name in drop:
        claims.pop(name, None)
    return compact(header, claims, signer if signer is not None else key, alg)


def case(name: str, token: str, dpop: list[str], expect: dict[str, Any], *, scheme: str = "DPoP",
         method: str = "GET", url: str = URL, now: str = NOW) -> dict[str, Any]:
    return {"name": name, "now": now, "method": method, "url": url, "authorization": f"{scheme} {token}",
            "access_token": token, "dpop": dpop, "expect": expect}


def accept(key: Any) -> dict[str, Any]:
    return {"accept": True, "jkt": thumbprint(public_jwk(key))}


def refuse(dpop_error: str, message: str, code: str = "CREDENTIALS_INVALID") -> dict[str, Any]:
    return {"accept": False, "code": code, "dpop_error": dpop_error, "message": message}


def cases() -> list[dict[str, Any]]:
    ed, es, rs = KEYS["EdDSA"], KEYS["ES256"], KEYS["RS256"]
    bound = access_token(thumbprint(public_jwk(ed)))
    out: list[dict[str, Any]] = []
    for alg, key in KEYS.items():
        token = access_token(thumbprint(public_jwk(key)), jti="at-" + alg.lower())
        out.append(case(f"a valid {alg} proof for a token bound to its key is accepted", token,
                        [proof(key, alg, token)], accept(key)))
    out.append(case("htu is compared without query and fragment, after RFC 3986 normalisation", bound,
                    [proof(ed, "EdDSA", bound, htu="HTTPS://API.test:443/x/../orders#frag")], accept(ed),
                    url=URL + "?page=2"))
    out.append(case("a query in the proof's htu is ignored like the request's", bound,
                    [proof(ed, "EdDSA", bound, htu=URL + "?page=1")], accept(ed), url=URL + "?page=2"))
    out.append(case("an iat 59 s old is inside the 60 s window", bound,
                    [proof(ed, "EdDSA", bound, iat=T - 59)], accept(ed)))
    out.append(case("a POST proof for a POST request is accepted", bound,
                    [proof(ed, "EdDSA", bound, htm="POST")], accept(ed), method="POST"))

    out.append(case("no DPoP header with a DPoP token", bound, [],
                    refuse("invalid_dpop_proof", "DPoP proof is required")))
    out.append(case("two DPoP headers", bound, [proof(ed, "EdDSA", bound), proof(ed, "EdDSA", bound, jti="p-2")],
                    refuse("invalid_dpop_proof", "Exactly one DPoP header")))
    out.append(case("typ JWT instead of dpop+jwt", bound, [proof(ed, "EdDSA", bound, typ="JWT")],
                    refuse("invalid_dpop_proof", "typ must be dpop+jwt")))
    out.append(case("no typ", bound, [proof(ed, "EdDSA", bound, typ=None)],
                    refuse("invalid_dpop_proof", "typ must be dpop+jwt")))
    none_proof = compact({"typ": "dpop+jwt", "alg": "none", "jwk": public_jwk(ed)},
                         {"jti": "proof-1", "htm": "GET", "htu": URL, "iat": T, "ath": ath(bound)})
    out.append(case("alg none (unsigned)", bound, [none_proof], refuse("invalid_dpop_proof", "not a well-formed JWT")))
    hs_header = {"typ": "dpop+jwt", "alg": "HS256", "jwk": public_jwk(ed)}
    hs_claims = {"jti": "proof-1", "htm": "GET", "htu": URL, "iat": T, "ath": ath(bound)}
    hs_input = b64u(json.dumps(hs_header, separators=(",", ":")).encode()) + "." + b64u(
        json.dumps(hs_claims, separators=(",", ":")).encode())
    hs_proof = hs_input + "." + b64u(hmac.new(b"shared", hs_input.encode(), hashlib.sha256).digest())
    out.append(case("alg HS256 (symmetric)", bound, [hs_proof], refuse("invalid_dpop_proof", "asymmetric algorithm")))
    out.append(case("no jwk header", bound, [compact({"typ": "dpop+jwt", "alg": "EdDSA"}, hs_claims, ed)],
                    refuse("invalid_dpop_proof", "public key as jwk")))
    out.append(case("a private key in jwk", bound, [proof(ed, "EdDSA", bound, jwk=private_jwk(ed))],
                    refuse("invalid_dpop_proof", "not a private one")))
    out.append(case("a jwk that does not fit the alg (P-256 key, EdDSA)", bound,
                    [proof(ed, "EdDSA", bound, jwk=public_jwk(es))], refuse("invalid_dpop_proof", "does not fit")))
    out.append(case("a signature by another key than jwk's", bound, [proof(ed, "EdDSA", bound, signer=OTHER)],
                    refuse("invalid_dpop_proof", "signature is invalid")))
    tampered = proof(ed, "EdDSA", bound)
    head, body, sig = tampered.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["htm"] = "POST"
    forged = head + "." + b64u(json.dumps(claims, separators=(",", ":")).encode()) + "." + sig
    out.append(case("claims changed after signing", bound, [forged], refuse("invalid_dpop_proof", "signature is invalid"),
                    method="POST"))
    out.append(case("no jti", bound, [proof(ed, "EdDSA", bound, drop=("jti",))],
                    refuse("invalid_dpop_proof", "lacks a required claim")))
    out.append(case("no iat", bound, [proof(ed, "EdDSA", bound, drop=("iat",))],
                    refuse("invalid_dpop_proof", "lacks a required claim")))
    out.append(case("htm POST for a GET", bound, [proof(ed, "EdDSA", bound, htm="POST")],
                    refuse("invalid_dpop_proof", "htm does not match")))
    out.append(case("htm is case-sensitive (get for GET)", bound, [proof(ed, "EdDSA", bound, htm="get")],
                    refuse("invalid_dpop_proof", "htm does not match")))
    out.append(case("htu of another path", bound, [proof(ed, "EdDSA", bound, htu="https://api.test/orders/7")],
                    refuse("invalid_dpop_proof", "htu does not match")))
    out.append(case("htu of another host", bound, [proof(ed, "EdDSA", bound, htu="https://other.test/orders")],
                    refuse("invalid_dpop_proof", "htu does not match")))
    out.append(case("htu of another port", bound, [proof(ed, "EdDSA", bound, htu="https://api.test:8443/orders")],
                    refuse("invalid_dpop_proof", "htu does not match")))
    out.append(case("htu over http for an https request", bound,
                    [proof(ed, "EdDSA", bound, htu="http://api.test/orders")],
                    refuse("invalid_dpop_proof", "htu does not match")))
    out.append(case("a path in the request's query is not the htu's path", bound,
                    [proof(ed, "EdDSA", bound, htu="https://api.test/orders/7")],
                    refuse("invalid_dpop_proof", "htu does not match"), url=URL + "?next=/7"))
    out.append(case("a relative htu", bound, [proof(ed, "EdDSA", bound, htu="/orders")],
                    refuse("invalid_dpop_proof", "htu does not match")))
    out.append(case("iat 61 s old", bound, [proof(ed, "EdDSA", bound, iat=T - 61)],
                    refuse("invalid_dpop_proof", "iat is outside the accepted window")))
    out.append(case("iat 61 s ahead", bound, [proof(ed, "EdDSA", bound, iat=T + 61)],
                    refuse("invalid_dpop_proof", "iat is outside the accepted window")))
    out.append(case("no ath", bound, [proof(ed, "EdDSA", None)], refuse("invalid_dpop_proof", "lacks ath")))
    out.append(case("ath of another token", bound, [proof(ed, "EdDSA", bound, with_ath=ath(bound + "x"))],
                    refuse("invalid_dpop_proof", "ath does not match")))
    out.append(case("a valid proof by another key than the token's cnf.jkt", bound, [proof(OTHER, "EdDSA", bound)],
                    refuse("invalid_token", "signed by another key")))
    out.append(case("the ES256 key's proof for the EdDSA key's token", bound, [proof(es, "ES256", bound)],
                    refuse("invalid_token", "signed by another key")))
    out.append(case("a bound token as Bearer (no downgrade)", bound, [], refuse("invalid_token", "Bound to a DPoP key"),
                    scheme="Bearer"))
    out.append(case("a bound token as Bearer, even with a valid proof", bound, [proof(ed, "EdDSA", bound)],
                    refuse("invalid_token", "Bound to a DPoP key"), scheme="Bearer"))
    unbound = access_token(None, jti="at-unbound")
    out.append(case("an unbound token as DPoP", unbound, [proof(ed, "EdDSA", unbound)],
                    refuse("invalid_token", "Not DPoP-bound")))
    expired = access_token(thumbprint(public_jwk(ed)), exp=T - 60, jti="at-expired")
    out.append(case("an expired bound token with a valid proof is challenged with DPoP", expired,
                    [proof(ed, "EdDSA", expired)], refuse("invalid_token", "expired", code="CREDENTIALS_EXPIRED")))
    return out


def main() -> None:
    issuer_jwk = dict(public_jwk(ISSUER_KEY), kid=ISSUER_KID, use="sig", alg="EdDSA")
    doc = {
        "description": "DPoP-bound access tokens presented to a resource server (RFC 9449 §7.1), with the verdict; "
                       "format: spec/README.md. Generated by spec/dpop/generate.py: edit the script, not this file.",
        "sources": ["https://www.rfc-editor.org/rfc/rfc9449", "https://www.rfc-editor.org/rfc/rfc7638",
                    "https://www.rfc-editor.org/rfc/rfc3986#section-6.2"],
        "issuer": ISSUER,
        "audience": AUDIENCE,
        "jwks": {"keys": [issuer_jwk]},
        "iat_window_seconds": 60,
        "leeway_seconds": 30,
        "cases": cases(),
    }
    OUT.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"wrote {len(doc['cases'])} cases to {OUT}")


if __name__ == "__main__":
    main()
