import { Clock, systemClock } from "../clock.js";
import { MayflyError } from "../errors.js";
import { isObject } from "../jwt.js";
import { SseParser } from "./sse.js";

export type Granularity = "token" | "session" | "task" | "agent";
const KINDS: readonly Granularity[] = ["agent", "session", "task", "token"]; // broadest first

/** What a revocation covers in a token's claims. */
export interface RevocableClaims {
  sub?: unknown;
  sid?: unknown;
  task?: unknown;
  jti?: unknown;
}

export interface Revocation {
  kind: Granularity;
  reason: string | null;
}

export interface FeedStatus {
  state: "CONNECTING" | "LIVE" | "STALE" | "CLOSED";
  failMode: "closed" | "open";
  lastSequence: number;
  brokerSequence: number;
  connectedTo: string | null;
  reconnects: number;
  entries: number;
  /** Revocations of kinds this build does not know, skipped (their sequence consumed). */
  unknownKinds: number;
  /** Events whose data could not be read; the connection is dropped and resumed. */
  malformedEvents: number;
  /** SSE lines that were garbage (no field, unknown field, over-long). */
  ignoredLines: number;
}

export interface RevocationFeedOptions {
  /** Broker base URLs; several are tried in turn. */
  broker: string | string[];
  /** Supplies an access token with scope mayfly:revocations:read for each connection. */
  token: () => Promise<string> | string;
  clock?: Clock;
  /** Silence longer than this makes the feed stale (default 60 s); keep it several heartbeats long. */
  staleAfterMs?: number;
  /** "closed" (default): while not live, lookups fail and the verifier answers UNAVAILABLE. */
  failMode?: "closed" | "open";
  backoff?: { baseMs: number; capMs: number };
  random?: () => number;
  fetch?: typeof fetch;
}

/**
 * Follows the broker's revocation stream (`GET /v1/revocations/stream`, server-sent events) into an in-memory
 * set, as the Java RevocationFeedSubscriber: resumes after any disconnect from the last sequence applied
 * (`Last-Event-ID`), reconnects with capped exponential backoff and full jitter rotating through the URLs,
 * skips (and counts) revocations of kinds it does not know, and drops entries once every token they cover
 * has expired. A 200 answer counts as hearing from the broker; after that, events and heartbeats do.
 */
export class RevocationFeed {
  private readonly streams: string[];
  private readonly clock: Clock;
  private readonly entries = new Map<string, { revocation: Revocation; coversUntil: number }>();
  private readonly closer = new AbortController();
  private current: AbortController | null = null;
  private lastSequence = 0;
  private brokerSequence = 0;
  private lastHeardAt: number | null = null;
  private connectedTo: string | null = null;
  private reconnects = 0;
  private unknownKinds = 0;
  private malformedEvents = 0;
  private ignoredLines = 0;
  private waiters: { seq: number; resolve: () => void }[] = [];
  private started = false;

  constructor(private readonly o: RevocationFeedOptions) {
    const brokers = Array.isArray(o.broker) ? o.broker : [o.broker];
    if (brokers.length === 0) throw new RangeError("at least one broker URL is required");
    this.streams = brokers.map((b) => b.replace(/\/+$/, "") + "/v1/revocations/stream");
    this.clock = o.clock ?? systemClock;
  }

  start(): this {
    if (!this.started) {
      this.started = true;
      void this.run();
    }
    return this;
  }

  /** The revocation covering these claims, broadest first; throws UNAVAILABLE when fail-closed and not live. */
  find(claims: RevocableClaims): Revocation | null {
    const state = this.state();
    if ((this.o.failMode ?? "closed") === "closed" && state !== "LIVE") {
      throw new MayflyError({
        code: "UNAVAILABLE",
        message: `The revocation feed is ${state.toLowerCase()}; tokens are refused until it is live again.`,
        retryAfterMs: 1000,
      });
    }
    const now = this.clock.now();
    for (const kind of KINDS) {
      const target = targetOf(kind, claims);
      if (target === null) continue;
      const e = this.entries.get(`${kind}:${target}`);
      if (e && now < e.coversUntil) return e.revocation;
    }
    return null;
  }

  status(): FeedStatus {
    return {
      state: this.state(),
      failMode: this.o.failMode ?? "closed",
      lastSequence: this.lastSequence,
      brokerSequence: Math.max(this.brokerSequence, this.lastSequence),
      connectedTo: this.connectedTo,
      reconnects: this.reconnects,
      entries: this.entries.size,
      unknownKinds: this.unknownKinds,
      malformedEvents: this.malformedEvents,
      ignoredLines: this.ignoredLines,
    };
  }

  /** Resolves once the revocation with sequence `seq` has been applied (or `timeoutMs` of real time passed: false). */
  awaitSequence(seq: number, timeoutMs = 5000): Promise<boolean> {
    if (this.lastSequence >= seq) return Promise.resolve(true);
    return new Promise((resolve) => {
      const w = { seq, resolve: () => resolve(true) };
      this.waiters.push(w);
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(false);
      }, timeoutMs);
      w.resolve = () => {
        clearTimeout(t);
        resolve(true);
      };
    });
  }

  /** Drops entries whose tokens have all expired; returns how many. */
  prune(): number {
    const now = this.clock.now();
    let n = 0;
    for (const [k, e] of this.entries) {
      if (now >= e.coversUntil) {
        this.entries.delete(k);
        n++;
      }
    }
    return n;
  }

  /** Cuts the current connection; the feed reconnects and resumes (tests, or to move to another broker). */
  disconnect(): void {
    this.current?.abort();
  }

  close(): void {
    this.closer.abort();
    this.current?.abort();
  }

  private state(): FeedStatus["state"] {
    if (this.closer.signal.aborted) return "CLOSED";
    if (this.lastHeardAt === null) return "CONNECTING";
    return this.clock.now() > this.lastHeardAt + (this.o.staleAfterMs ?? 60_000) ? "STALE" : "LIVE";
  }

  private async run(): Promise<void> {
    let failures = 0;
    let next = 0;
    const backoff = this.o.backoff ?? { baseMs: 200, capMs: 30_000 };
    const random = this.o.random ?? Math.random;
    while (!this.closer.signal.aborted) {
      const url = this.streams[next % this.streams.length];
      try {
        await this.follow(url);
        failures = 0;
      } catch {
        failures++;
      }
      this.connectedTo = null;
      next++;
      if (this.closer.signal.aborted) return;
      const cap = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(failures - 1, 20));
      // Waits run on real time (setTimeout): reconnecting is I/O pacing, not token time.
      if (failures > 0) await systemClock.sleep(random() * cap, this.closer.signal);
    }
  }

  private async follow(url: string): Promise<void> {
    const ctl = new AbortController();
    this.current = ctl;
    const onClose = () => ctl.abort();
    this.closer.signal.addEventListener("abort", onClose, { once: true });
    try {
      const headers: Record<string, string> = {
        Accept: "text/event-stream",
        Authorization: `Bearer ${await this.o.token()}`,
      };
      if (this.lastSequence > 0) headers["Last-Event-ID"] = String(this.lastSequence);
      const response = await (this.o.fetch ?? globalThis.fetch)(url, { headers, signal: ctl.signal, redirect: "manual" });
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        throw new Error(`feed answered HTTP ${response.status}`);
      }
      this.reconnects++;
      this.connectedTo = url;
      this.heard();
      let malformed = false;
      const parser = new SseParser((e) => {
        if (malformed) return;
        if (!this.apply(e.type, e.data)) malformed = true;
      });
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.push(decoder.decode(value, { stream: true }));
          this.ignoredLines = parser.ignoredLines;
          if (malformed) {
            // A revocation this build cannot read cannot be applied: drop the connection and resume from the
            // last good sequence; if the broker keeps sending it, the feed goes stale and the fail mode decides.
            this.malformedEvents++;
            await reader.cancel().catch(() => undefined);
            throw new Error("malformed revocation event");
          }
        }
      } finally {
        reader.releaseLock();
      }
      throw new Error("feed stream ended");
    } finally {
      this.closer.signal.removeEventListener("abort", onClose);
      if (this.current === ctl) this.current = null;
    }
  }

  /** Applies one event; false when a revocation or heartbeat is malformed. */
  private apply(type: string, data: string): boolean {
    if (type !== "revocation" && type !== "heartbeat") return true; // a newer broker's event type
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return false;
    }
    if (!isObject(json) || typeof json.seq !== "number" || !Number.isSafeInteger(json.seq) || json.seq < 0) return false;
    const seq = json.seq;
    if (type === "heartbeat") {
      this.brokerSequence = Math.max(this.brokerSequence, seq);
      this.heard();
      this.prune();
      return true;
    }
    const kind = json.kind;
    if (typeof kind !== "string" || kind === "") return false;
    if (!(KINDS as readonly string[]).includes(kind)) {
      this.unknownKinds++;
      this.advance(seq);
      return true;
    }
    const target = json.target;
    const coversUntil = typeof json.covers_until === "string" ? Date.parse(json.covers_until) : NaN;
    if (typeof target !== "string" || target === "" || Number.isNaN(coversUntil)) return false;
    if (this.clock.now() < coversUntil) {
      const key = `${kind}:${target}`;
      const old = this.entries.get(key);
      if (!old || coversUntil > old.coversUntil) {
        this.entries.set(key, { revocation: { kind: kind as Granularity, reason: typeof json.reason === "string" ? json.reason : null }, coversUntil });
      }
    }
    this.advance(seq);
    return true;
  }

  private heard(): void {
    this.lastHeardAt = this.clock.now();
  }

  private advance(seq: number): void {
    this.heard();
    if (seq > this.lastSequence) {
      this.lastSequence = seq;
      this.brokerSequence = Math.max(this.brokerSequence, seq);
    }
    const ready = this.waiters.filter((w) => w.seq <= this.lastSequence);
    this.waiters = this.waiters.filter((w) => w.seq > this.lastSequence);
    for (const w of ready) w.resolve();
  }
}

function targetOf(kind: Granularity, c: RevocableClaims): string | null {
  const v = kind === "agent" ? c.sub : kind === "session" ? c.sid : kind === "task" ? c.task : c.jti;
  return typeof v === "string" ? v : null;
}
