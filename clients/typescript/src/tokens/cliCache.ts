import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { MayflyError } from "../errors.js";
import { isObject } from "../jwt.js";

/** One session of the `mayfly` CLI's credential cache, as mayfly-cli's CachedSession writes it. */
export interface CachedSession {
  url: string;
  accessToken: string;
  expiresAt: number;
  refreshAfter: number;
  sessionExpiresAt: number;
  sessionId: string | null;
  scopes: string[];
  /** The session's DPoP key as private JWK text (`mayfly auth login --dpop`), or null. A secret: never logged. */
  dpopKey: string | null;
}

export function mayflyHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.MAYFLY_HOME && env.MAYFLY_HOME !== "" ? env.MAYFLY_HOME : join(homedir(), ".mayfly");
}

/**
 * Reads `$MAYFLY_HOME/credentials.json` (`{"version":1,"sessions":{URL:{...}}}`, mode 0600). Reads take no
 * lock: the CLI replaces the file by an atomic rename, so a reader always sees a whole version. This reader
 * never writes and never presents the refresh token: renewing needs the CLI's file lock (an fcntl lock Node
 * cannot take without a native module), and a refresh token presented twice revokes the whole session.
 * Returns null when there is no session for `url`.
 */
export function readCachedSession(home: string, url: string): CachedSession | null {
  const file = join(home, "credentials.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw unreadable(file);
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw unreadable(file);
  }
  const sessions = isObject(root) ? root.sessions : null;
  if (!isObject(sessions)) throw unreadable(file);
  const entry = sessions[url] ?? sessions[url.replace(/\/+$/, "")];
  if (entry === undefined) return null;
  if (!isObject(entry) || typeof entry.access_token !== "string") throw unreadable(file);
  const at = (v: unknown) => (typeof v === "string" ? Date.parse(v) : NaN);
  const s: CachedSession = {
    url,
    accessToken: entry.access_token,
    expiresAt: at(entry.expires_at),
    refreshAfter: at(entry.refresh_after),
    sessionExpiresAt: at(entry.session_expires_at),
    sessionId: typeof entry.session_id === "string" ? entry.session_id : null,
    scopes: Array.isArray(entry.scopes) ? entry.scopes.map(String) : [],
    dpopKey: typeof entry.dpop_key === "string" ? entry.dpop_key : null,
  };
  if (Number.isNaN(s.expiresAt) || Number.isNaN(s.refreshAfter)) throw unreadable(file);
  return s;
}

function unreadable(file: string): MayflyError {
  return new MayflyError({
    code: "PRECONDITION",
    message: `The credential cache ${file} is unreadable; delete it and log in again.`,
    details: { fix_command: "mayfly auth login" },
  });
}
