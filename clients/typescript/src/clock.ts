/**
 * Time as an input (DESIGN §2): every component takes a Clock, so tests move time instead of sleeping.
 * `now()` is epoch milliseconds; `sleep(ms)` resolves once that much time has passed on this clock.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock, with timers that never keep the process alive on their own. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const t = setTimeout(done, Math.max(0, ms));
      t.unref?.();
      function done() {
        signal?.removeEventListener("abort", done);
        clearTimeout(t);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    }),
};

interface Sleeper {
  at: number;
  resolve: () => void;
}

/**
 * A clock that moves only when told (the TypeScript twin of mayfly-core's ManualClock). Sleepers wake when
 * `advance` or `set` moves the clock past their deadline, in deadline order; nothing waits on real time.
 */
export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];

  constructor(start: Date | number | string = Date.UTC(2026, 10, 22, 14, 0, 0)) {
    this.current = typeof start === "number" ? start : new Date(start).getTime();
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const s: Sleeper = { at: this.current + ms, resolve };
      this.sleepers.push(s);
      signal?.addEventListener(
        "abort",
        () => {
          this.sleepers = this.sleepers.filter((x) => x !== s);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Moves time forward by `ms` and wakes every sleeper whose deadline has come. */
  advance(ms: number): void {
    this.set(this.current + ms);
  }

  set(to: number): void {
    this.current = to;
    const due = this.sleepers.filter((s) => s.at <= to).sort((a, b) => a.at - b.at);
    this.sleepers = this.sleepers.filter((s) => s.at > to);
    for (const s of due) s.resolve();
  }

  /** How many callers are sleeping on this clock: tests wait for this instead of guessing. */
  get waiting(): number {
    return this.sleepers.length;
  }

  /** The earliest deadline among sleepers, or undefined. */
  get nextDeadline(): number | undefined {
    return this.sleepers.length === 0 ? undefined : Math.min(...this.sleepers.map((s) => s.at));
  }
}

/** ISO-8601 UTC to whole seconds, as the envelope writes instants (`2026-11-22T14:15:00Z`). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
