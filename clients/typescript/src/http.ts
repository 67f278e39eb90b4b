import { MayflyError } from "./errors.js";

/** Error bodies are read up to this much to classify them; the rest is never read (no unbounded reads). */
export const MAX_ERROR_BODY = 1024 * 1024;

/**
 * Reads at most `maxBytes` of a response body as UTF-8 and cancels the rest, so a 10 MB (or endless) error
 * body costs at most `maxBytes` of memory. `truncated` says whether more was there.
 */
export async function readBounded(response: Response, maxBytes: number = MAX_ERROR_BODY): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: "", truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > maxBytes) {
        chunks.push(value.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    if (truncated) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  return { text: Buffer.concat(chunks).toString("utf8"), truncated };
}

/**
 * A request that got no answer, as a catalog error: TIMEOUT when the deadline passed, UNAVAILABLE otherwise.
 * `torn` is true when the request may have reached the server (anything but a refused connection): a
 * refresh whose answer was lost may have rotated the refresh token.
 */
export class NoAnswerError extends MayflyError {
  constructor(readonly url: string, readonly torn: boolean, timedOut: boolean, cause?: unknown) {
    super(
      {
        code: timedOut ? "TIMEOUT" : "UNAVAILABLE",
        message: timedOut ? `No answer from ${url} in time.` : `Cannot reach ${url} (${causeName(cause)}).`,
        retryAfterMs: timedOut ? null : 1000,
      },
      { cause },
    );
    this.name = "NoAnswerError";
  }
}

function causeName(e: unknown): string {
  const c = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  if (c && typeof c.code === "string") return c.code;
  return e instanceof Error ? e.name : "error";
}

/** Whether a fetch failure is a refused connection (the request certainly never reached the server). */
export function refused(e: unknown): boolean {
  const c = (e as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | undefined)?.cause;
  if (!c) return false;
  if (c.code === "ECONNREFUSED") return true;
  return Array.isArray(c.errors) && c.errors.length > 0 && c.errors.every((x) => x?.code === "ECONNREFUSED");
}

export function isTimeout(e: unknown): boolean {
  return e instanceof Error && (e.name === "TimeoutError" || (e.cause instanceof Error && e.cause.name === "TimeoutError"));
}
