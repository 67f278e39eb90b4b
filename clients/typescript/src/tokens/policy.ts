/**
 * When to refresh (the Java SDK's RefreshPolicy) and how long to wait between failed attempts (Backoff):
 *
 *   L = expires_in; advised = refresh_after if 0 < refresh_after < L, else L × U(0.6, 0.8)
 *   refresh = min(advised + U(0, jitter × L), latest × L)
 *
 * Backoff is exponential with full jitter: before retry n wait U(0, min(cap, base × 2^(n−1))) plus the
 * server's Retry-After (capped at cap), at least 1 ms.
 */
export interface RefreshPolicy {
  jitter: number;
  latest: number;
}

export const DEFAULT_REFRESH: RefreshPolicy = { jitter: 0.1, latest: 0.9 };

export function refreshDelayMs(lifetimeMs: number, refreshAfterMs: number | null, policy: RefreshPolicy, random: () => number): number {
  const life = Math.max(0, lifetimeMs);
  const advised = refreshAfterMs != null && refreshAfterMs > 0 && refreshAfterMs < life ? refreshAfterMs : life * (0.6 + 0.2 * random());
  let at = advised + (policy.jitter > 0 ? policy.jitter * life * random() : 0);
  at = Math.min(at, policy.latest * life);
  return Math.max(0, Math.round(at));
}

export interface Backoff {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 200, capMs: 30_000 };

export function backoffDelayMs(attempt: number, retryAfterMs: number | null, b: Backoff, random: () => number): number {
  const doublings = Math.max(0, attempt - 1);
  const ceiling = doublings >= 40 ? b.capMs : Math.min(b.capMs, b.baseMs * 2 ** doublings);
  const floor = retryAfterMs == null || retryAfterMs < 0 ? 0 : Math.min(retryAfterMs, b.capMs);
  return Math.max(1, floor + ceiling * random());
}
