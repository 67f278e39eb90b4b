import { Clock } from "../clock.js";
import { MayflyError } from "../errors.js";
import { AccessToken } from "./accessToken.js";
import { Backoff, backoffDelayMs } from "./policy.js";

/** Failures worth another attempt after a backoff; everything else is permanent and sticks. */
export function transient(e: unknown): e is MayflyError {
  return e instanceof MayflyError && (e.code === "UNAVAILABLE" || e.code === "TIMEOUT" || e.code === "RATE_LIMITED");
}

export interface SlotOptions {
  clock: Clock;
  random: () => number;
  backoff: Backoff;
  acquireTimeoutMs: number;
  closed: AbortSignal;
  /** Renew in the background when the refresh point comes, not only when a caller asks after it. */
  background: boolean;
}

interface Waiter {
  resolve: (t: AccessToken) => void;
  reject: (e: unknown) => void;
}

/**
 * One token and its renewal (the Java SDK's TokenSlot): callers whose token is valid get it at once (and
 * start the renewal once its refresh point has passed); callers without one wait for the next attempt and
 * share its result, so 100 callers at expiry cause one broker call. Failed attempts are retried with full
 * jitter backoff while the current token keeps being served until it really expires; no retry waits past
 * halfway to its expiry, so an outage that ends before expiry is noticed in time. A caller without a valid
 * token whose next attempt is further away than `acquireTimeoutMs` gets UNAVAILABLE at once, with
 * `retryAfterMs`, instead of queueing behind an outage. A permanent failure is thrown to every caller from
 * then on.
 */
export class TokenSlot {
  private current: AccessToken | null = null;
  private running = false;
  private waiters: Waiter[] = [];
  private permanent: unknown = null;
  private nextAttemptAt: number | null = null;
  private lastError: MayflyError | null = null;
  /** Successful renewals, for tests and metrics. */
  renewals = 0;
  lastUsedAt = 0;

  constructor(private readonly renew: () => Promise<AccessToken>, private readonly o: SlotOptions) {}

  peek(): AccessToken | null {
    return this.current;
  }

  /** True while a renewal runs or a permanent failure is held. */
  get busy(): boolean {
    return this.running || this.permanent !== null;
  }

  async get(): Promise<AccessToken> {
    const now = this.o.clock.now();
    this.lastUsedAt = now;
    if (this.permanent !== null) throw this.permanent;
    if (this.o.closed.aborted) throw closedError();
    const cur = this.current;
    if (cur !== null && !cur.isExpired(now)) {
      if (cur.refreshAt !== null && now >= cur.refreshAt) this.start();
      return cur;
    }
    if (this.running && this.nextAttemptAt !== null && this.nextAttemptAt - now > this.o.acquireTimeoutMs) {
      throw new MayflyError({
        code: "UNAVAILABLE",
        message: `No valid token, and the broker is unreachable; next attempt in ${Math.ceil((this.nextAttemptAt - now) / 1000)} s.`,
        retryAfterMs: this.nextAttemptAt - now,
        details: this.lastError ? { cause: this.lastError.code } : {},
      });
    }
    return this.waitForAttempt();
  }

  /**
   * A server said `rejected` has expired (or was revoked as a single token): renew it, shared. A caller whose
   * token was already replaced gets the replacement without a broker call.
   */
  async refresh(rejected: string | null): Promise<AccessToken> {
    const cur = this.current;
    if (cur !== null && rejected !== null && cur.reveal() !== rejected && !cur.isExpired(this.o.clock.now())) return cur;
    if (cur !== null && (rejected === null || cur.reveal() === rejected)) this.current = null;
    return this.get();
  }

  /** Adopts a token obtained elsewhere (a cached session) as the current one. */
  set(token: AccessToken): void {
    this.current = token;
    this.scheduleAhead(token);
  }

  private waitForAttempt(): Promise<AccessToken> {
    return new Promise<AccessToken>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.start();
    });
  }

  private start(): void {
    if (this.running || this.permanent !== null || this.o.closed.aborted) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    try {
      for (;;) {
        this.nextAttemptAt = null;
        try {
          const token = await this.renew();
          this.current = token;
          this.renewals++;
          this.lastError = null;
          this.settle((w) => w.resolve(token));
          this.scheduleAhead(token);
          return;
        } catch (e) {
          if (!transient(e)) {
            this.permanent = e;
            this.current = null;
            this.settle((w) => w.reject(e));
            return;
          }
          attempt++;
          this.lastError = e;
          const now = this.o.clock.now();
          let delay = backoffDelayMs(attempt, e.retryAfterMs, this.o.backoff, this.o.random);
          const cur = this.current;
          if (cur !== null && cur.expiresAt !== null && !cur.isExpired(now)) {
            // Serve-while-valid: retry often enough to renew before the current token runs out.
            delay = Math.min(delay, Math.max(1000, (cur.expiresAt - now) / 2));
          }
          this.nextAttemptAt = now + delay;
          const failed = new MayflyError({
            code: e.code,
            message: e.message,
            retryAfterMs: Math.round(delay),
          });
          this.settle((w) => w.reject(failed));
          if (this.o.closed.aborted) return;
          await this.o.clock.sleep(delay, this.o.closed);
          if (this.o.closed.aborted) return;
        }
      }
    } finally {
      this.running = false;
      this.nextAttemptAt = null;
      if (this.o.closed.aborted) this.settle((w) => w.reject(closedError()));
    }
  }

  private settle(f: (w: Waiter) => void): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) f(w);
  }

  private scheduleAhead(token: AccessToken): void {
    if (!this.o.background || token.refreshAt === null) return;
    const wait = token.refreshAt - this.o.clock.now();
    void this.o.clock.sleep(Math.max(0, wait), this.o.closed).then(() => {
      if (this.current === token && !this.o.closed.aborted && this.permanent === null) this.start();
    });
  }
}

function closedError(): MayflyError {
  return new MayflyError({ code: "PRECONDITION", message: "The token provider is closed." });
}
