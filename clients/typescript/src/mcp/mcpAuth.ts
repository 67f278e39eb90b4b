import type { IncomingMessage, ServerResponse } from "node:http";
import { MayflyError } from "../errors.js";
import { isObject } from "../jwt.js";
import { failureResponse } from "../verifier/challenge.js";
import { bearerToken, dpopToken, VerifiedClaims, Verifier } from "../verifier/verifier.js";

/** The SDK's AuthInfo (`@modelcontextprotocol/sdk/server/auth/types`), which tools see as `extra.authInfo`. */
export interface McpAuthInfo {
  token: string;
  clientId: string;
  scopes: string[];
  expiresAt?: number;
  resource?: URL;
  extra?: Record<string, unknown>;
}

export interface McpAuthOptions {
  verifier: Verifier;
  /** This MCP server's URL as clients call it (RFC 9728 `resource`), e.g. http://127.0.0.1:3000/mcp. */
  resource: string;
  /** Authorization servers (RFC 9728 `authorization_servers`); default: the verifier's issuer. */
  authorizationServers?: string[];
  /** Scopes every request needs (default none beyond a valid token). */
  scopes?: string[];
  /** Tool name → scopes a `tools/call` of it needs, on top of `scopes`. */
  toolScopes?: Record<string, string[]>;
  /** Advertised in the metadata (default: every scope named in scopes and toolScopes). */
  scopesSupported?: string[];
  resourceName?: string;
}

type Req = IncomingMessage & { auth?: McpAuthInfo; body?: unknown; originalUrl?: string };
type Next = (err?: unknown) => void;

export const PROTECTED_RESOURCE_WELL_KNOWN = "/.well-known/oauth-protected-resource";

/**
 * Protects an MCP server (streamable HTTP, on Express or plain Node http) with Mayfly tokens, as the MCP
 * authorization spec asks of a resource server:
 *
 * - RFC 9728 protected-resource metadata at `/.well-known/oauth-protected-resource` and at the path-suffixed
 *   form for the resource's path (`/.well-known/oauth-protected-resource/mcp`);
 * - no or bad token: 401 with `WWW-Authenticate: Bearer resource_metadata="...", error=...` and the envelope;
 * - a `tools/call` whose tool needs a scope the token lacks: 403 `insufficient_scope` with the `scope` (so a
 *   client can step up), never a 401;
 * - a good token: `req.auth` set to the SDK's AuthInfo, which the transport hands to tools as `extra.authInfo`;
 * - a DPoP-bound token only as `Authorization: DPoP` with a valid proof for this method and URL (RFC 9449 §7.1),
 *   never as Bearer; its refusals carry the `WWW-Authenticate: DPoP` challenge.
 */
export class McpAuth {
  readonly metadataUrl: string;
  readonly metadataPaths: string[];
  private readonly resourceUrl: URL;

  constructor(private readonly o: McpAuthOptions) {
    this.resourceUrl = new URL(o.resource);
    const path = this.resourceUrl.pathname === "/" ? "" : this.resourceUrl.pathname.replace(/\/+$/, "");
    this.metadataUrl = this.resourceUrl.origin + PROTECTED_RESOURCE_WELL_KNOWN + path;
    this.metadataPaths = path === "" ? [PROTECTED_RESOURCE_WELL_KNOWN] : [PROTECTED_RESOURCE_WELL_KNOWN + path, PROTECTED_RESOURCE_WELL_KNOWN];
  }

  /** The RFC 9728 metadata document. */
  metadata(): Record<string, unknown> {
    const named = new Set<string>([...(this.o.scopes ?? []), ...Object.values(this.o.toolScopes ?? {}).flat()]);
    return {
      resource: this.o.resource,
      authorization_servers: this.o.authorizationServers ?? [this.o.verifier.issuer],
      scopes_supported: this.o.scopesSupported ?? [...named],
      bearer_methods_supported: ["header"],
      resource_signing_alg_values_supported: ["EdDSA", "RS256"],
      dpop_signing_alg_values_supported: this.o.verifier.dpop.algs,
      ...(this.o.resourceName ? { resource_name: this.o.resourceName } : {}),
    };
  }

  /** Answers a GET of a metadata path and returns true; false for any other request. */
  serveMetadata(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (!this.metadataPaths.includes(path)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return true;
    }
    const body = JSON.stringify(this.metadata());
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "max-age=300", "Access-Control-Allow-Origin": "*" });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }

  /** The scopes this request needs: the base ones plus those of every tool it calls (single or batch). */
  requiredScopes(body: unknown): string[] {
    const out = new Set(this.o.scopes ?? []);
    const messages = Array.isArray(body) ? body : [body];
    for (const m of messages) {
      if (isObject(m) && m.method === "tools/call" && isObject(m.params) && typeof m.params.name === "string") {
        for (const s of this.o.toolScopes?.[m.params.name] ?? []) out.add(s);
      }
    }
    return [...out];
  }

  /**
   * Verifies the request's token for what `parsedBody` asks. Returns the AuthInfo (also set as `req.auth`), or
   * null after answering the failure itself (401, 403 or 503 with the envelope).
   */
  async authorize(req: Req, res: ServerResponse, parsedBody?: unknown): Promise<McpAuthInfo | null> {
    const header = req.headers.authorization;
    const decision = await this.o.verifier.verifyRequest({
      authorization: header,
      dpop: req.headers.dpop,
      method: req.method ?? "GET",
      // The URL as the client addressed it: this resource's origin (not the Host header, which the client
      // controls) and the path before any router stripped its mount point (Express keeps it in originalUrl).
      url: this.resourceUrl.origin + (req.originalUrl ?? req.url ?? "/"),
    }, this.requiredScopes(parsedBody === undefined ? req.body : parsedBody));
    if (!decision.ok) {
      this.reject(res, decision.error);
      return null;
    }
    const token = (dpopToken(Array.isArray(header) ? header[0] : header) ?? bearerToken(Array.isArray(header) ? header[0] : header)) as string;
    const auth = authInfo(token, decision.claims, this.resourceUrl);
    req.auth = auth;
    return auth;
  }

  /** Express (or Connect) middleware: after `express.json()`, so `req.body` is the parsed JSON-RPC message. */
  express(): (req: Req, res: ServerResponse, next: Next) => void {
    return (req, res, next) => {
      if (this.serveMetadata(req, res)) return;
      this.authorize(req, res).then((auth) => {
        if (auth) next();
      }, next);
    };
  }

  /** Express handler for the metadata paths: `app.get(auth.metadataPaths, auth.metadataHandler())`. */
  metadataHandler(): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      if (!this.serveMetadata(req, res)) res.writeHead(404).end();
    };
  }

  private reject(res: ServerResponse, error: MayflyError): void {
    const r = failureResponse(error, { resourceMetadata: this.metadataUrl, dpopAlgs: this.o.verifier.dpop.algs });
    if (r.status === 401 || r.status === 403) {
      r.headers["Access-Control-Expose-Headers"] = "WWW-Authenticate, DPoP-Nonce";
    }
    res.writeHead(r.status, r.headers).end(r.body);
  }
}

export function mcpAuth(options: McpAuthOptions): McpAuth {
  return new McpAuth(options);
}

function authInfo(token: string, c: VerifiedClaims, resource: URL): McpAuthInfo {
  return {
    token,
    clientId: c.client_id ?? c.sub,
    scopes: c.scopes,
    expiresAt: c.exp,
    resource,
    extra: { sub: c.sub, sid: c.sid, task: c.task, jti: c.jti, tier: c.tier, aud: c.aud, jkt: c.jkt },
  };
}

/** Reads a JSON request body (at most `maxBytes`, default 1 MiB) for plain Node http servers; undefined when empty. */
export async function readJsonBody(req: IncomingMessage, maxBytes = 1024 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new MayflyError({ code: "USAGE", message: `Request body larger than ${maxBytes} bytes.` });
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new MayflyError({ code: "USAGE", message: "Request body is not JSON." });
  }
}
