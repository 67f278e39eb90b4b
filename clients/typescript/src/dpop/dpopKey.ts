import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes, sign, verify } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { inspect } from "node:util";
import { CompactSign } from "jose";
import { MayflyError } from "../errors.js";
import { isObject } from "../jwt.js";
import { htu } from "./httpTarget.js";
import { accessTokenHash, jwkThumbprint } from "./jwkThumbprint.js";

/** The proof algorithms a DpopKey signs with: Ed25519 (the Java SDK's and the CLI's) or P-256. */
export type DpopAlgorithm = "EdDSA" | "ES256";

/** One request a proof is for (RFC 9449 §4.2). */
export interface ProofRequest {
  method: string;
  /** The request's URL; its query and fragment are left out of `htu`. */
  url: string | URL;
  /** The access token sent with the proof (its hash becomes `ath`); none at the token endpoint. */
  accessToken?: string;
  /** The server's `DPoP-Nonce`, when it demanded one. */
  nonce?: string | null;
  /** Epoch milliseconds; `iat` is its whole seconds. */
  now: number;
}

const PROBE = Buffer.from("mayfly-dpop-key-check", "ascii");

/**
 * An agent's DPoP key (RFC 9449): a key pair that signs one proof per request, so that the tokens the broker
 * binds to it (`cnf.jkt`) are useless to whoever copies them without the key. Ed25519 (`EdDSA`, the default, as
 * the Java SDK and the CLI) or P-256 (`ES256`); node's own key generation, proofs signed by `jose`.
 *
 * The private key never leaves except through `save()` (a file written 0600): `String(key)`,
 * `JSON.stringify(key)` and `util.inspect(key)` show only the algorithm and thumbprint. Immutable.
 */
export class DpopKey {
  readonly #privateKey: KeyObject;
  readonly #privateJwk: Record<string, string>;
  /** The public JWK, the `jwk` header of every proof. */
  readonly publicJwk: Readonly<Record<string, string>>;
  /** The RFC 7638 SHA-256 thumbprint: the `cnf.jkt` of every token bound to this key. */
  readonly thumbprint: string;

  private constructor(readonly alg: DpopAlgorithm, privateKey: KeyObject) {
    this.#privateKey = privateKey;
    const jwk = privateKey.export({ format: "jwk" }) as Record<string, string>;
    this.#privateJwk = alg === "EdDSA"
      ? { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d }
      : { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, d: jwk.d };
    const { d: _d, ...pub } = this.#privateJwk;
    this.publicJwk = Object.freeze(pub);
    this.thumbprint = jwkThumbprint(pub) as string;
  }

  /** A fresh random key. */
  static generate(alg: DpopAlgorithm = "EdDSA"): DpopKey {
    const pair = alg === "EdDSA" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "P-256" });
    return new DpopKey(alg, pair.privateKey);
  }

  /**
   * The key from its private JWK (an object or its JSON text), as `save()` writes it and the `mayfly` CLI keeps it
   * (`dpop_key` in its credential cache): an Ed25519 OKP or a P-256 EC key whose public part matches its `d`.
   * Anything else is USAGE, without quoting the key.
   */
  static fromJwk(jwk: string | Record<string, unknown>): DpopKey {
    let parsed: unknown = jwk;
    if (typeof jwk === "string") {
      try {
        parsed = JSON.parse(jwk);
      } catch {
        throw unusable("it is not JSON");
      }
    }
    if (!isObject(parsed) || typeof parsed.d !== "string") throw unusable("it is not a private JWK (no d)");
    const alg: DpopAlgorithm | null = parsed.kty === "OKP" && parsed.crv === "Ed25519" ? "EdDSA"
      : parsed.kty === "EC" && parsed.crv === "P-256" ? "ES256" : null;
    if (alg === null) throw unusable("a DPoP key must be an Ed25519 OKP or a P-256 EC JWK");
    let privateKey: KeyObject;
    let publicKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: parsed as import("node:crypto").JsonWebKey, format: "jwk" });
      const { d: _d, ...pub } = parsed;
      publicKey = createPublicKey({ key: pub as import("node:crypto").JsonWebKey, format: "jwk" });
    } catch {
      throw unusable("its members are not a valid key");
    }
    // A JWK whose x is not its d's public half would sign proofs that never verify: refuse it here.
    const hash = alg === "EdDSA" ? null : "sha256";
    if (!verify(hash, PROBE, publicKey, sign(hash, PROBE, privateKey))) throw unusable("its public part is not the key of its d");
    return new DpopKey(alg, privateKey);
  }

  /**
   * The key in `path` (a private JWK). A file that others may read is refused (PRECONDITION, `chmod 600`): a
   * copied key makes every token bound to it usable by whoever copied it.
   */
  static load(path: string): DpopKey {
    let text: string;
    try {
      const st = statSync(path);
      if (process.platform !== "win32" && (st.mode & 0o077) !== 0) {
        throw new MayflyError({ code: "PRECONDITION", message: `The DPoP key file ${path} is readable by others; chmod 600 it.` });
      }
      text = readFileSync(path, "utf8");
    } catch (e) {
      if (e instanceof MayflyError) throw e;
      throw new MayflyError({ code: "PRECONDITION", message: `Cannot read the DPoP key file ${path} (${(e as NodeJS.ErrnoException).code ?? "error"}).` });
    }
    try {
      return DpopKey.fromJwk(text);
    } catch (e) {
      throw new MayflyError({ code: "PRECONDITION", message: `The DPoP key file ${path} is not usable: ${(e as Error).message}` });
    }
  }

  /** The key in `path`, or a new one written there (0600) when the file does not exist. */
  static loadOrCreate(path: string, alg: DpopAlgorithm = "EdDSA"): DpopKey {
    try {
      statSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") {
        const key = DpopKey.generate(alg);
        key.save(path);
        return key;
      }
    }
    return DpopKey.load(path);
  }

  /**
   * Writes the private JWK to `path`, mode 0600 from the start (never briefly readable by others), replacing
   * the file atomically (a temporary file renamed over it).
   */
  save(path: string): void {
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    const fd = openSync(tmp, "wx", 0o600);
    try {
      writeSync(fd, JSON.stringify(this.#privateJwk));
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      unlinkSync(tmp);
      throw e;
    }
    closeSync(fd);
    renameSync(tmp, path);
  }

  /**
   * A fresh proof (RFC 9449 §4.2) for one request: header `typ` `dpop+jwt`, `alg`, the public key as `jwk`;
   * claims a random `jti`, `htm`, `htu` (no query, no fragment), `iat`, `ath` with an access token, `nonce` when
   * given.
   */
  async proof(r: ProofRequest): Promise<string> {
    const claims: Record<string, unknown> = {
      jti: randomBytes(16).toString("base64url"),
      htm: r.method, // as sent: fetch upper-cases only the standard methods, and htm must match the request
      htu: htu(r.url),
      iat: Math.floor(r.now / 1000),
    };
    if (r.accessToken !== undefined) claims.ath = accessTokenHash(r.accessToken);
    if (r.nonce != null) claims.nonce = r.nonce;
    return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ typ: "dpop+jwt", alg: this.alg, jwk: { ...this.publicJwk } })
      .sign(this.#privateKey);
  }

  toString(): string {
    return `DpopKey[alg=${this.alg}, jkt=${this.thumbprint}]`;
  }

  toJSON(): Record<string, unknown> {
    return { alg: this.alg, jkt: this.thumbprint, privateKey: "redacted" };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function unusable(why: string): MayflyError {
  return new MayflyError({ code: "USAGE", message: `Not a usable DPoP key: ${why}.` });
}
