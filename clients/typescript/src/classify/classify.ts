import { Clock, systemClock } from "../clock.js";
import { AuthFailure } from "./authFailure.js";
import { awsFormat } from "./formats/aws.js";
import { azureFormat } from "./formats/azure.js";
import { azureStorageFormat } from "./formats/azureStorage.js";
import { bearerFormat } from "./formats/bearer.js";
import { cosmosFormat } from "./formats/cosmos.js";
import { statusFallback } from "./formats/fallback.js";
import { githubFormat } from "./formats/github.js";
import { googleFormat } from "./formats/google.js";
import { kubernetesFormat } from "./formats/kubernetes.js";
import { mayflyFormat } from "./formats/mayfly.js";
import { messageFormat } from "./formats/message.js";
import { oauthFormat } from "./formats/oauth.js";
import { Recognizer } from "./formats/recognizer.js";
import { serviceBusFormat } from "./formats/serviceBus.js";
import { vaultFormat } from "./formats/vault.js";
import { HeaderInput, ResponseView } from "./responseView.js";
import { SentInput, sentCredential } from "./sent.js";

/**
 * Most specific first: Mayfly's own errors, vendors' structured codes (which beat the generic signals they
 * also send), RFC 6750/9449 challenges, RFC 6749 bodies, the body's own words, then the status.
 */
const FORMATS: readonly Recognizer[] = [
  mayflyFormat,
  azureStorageFormat,
  serviceBusFormat,
  cosmosFormat,
  awsFormat,
  azureFormat,
  googleFormat,
  githubFormat,
  kubernetesFormat,
  vaultFormat,
  bearerFormat,
  oauthFormat,
  messageFormat,
];

export interface ClassifyInput {
  status: number;
  headers?: HeaderInput;
  /** The response body as text (bodies over 256 KiB are not parsed). */
  body?: string | null;
  /** What was sent; see SentInput. */
  sent?: SentInput;
}

export interface ClassifyOptions {
  /** The clock the token's `exp` is compared with (default: the system clock). */
  clock?: Pick<Clock, "now">;
  /** How close to its `exp` a token counts as expired when the response does not say (default 30 s). */
  clockSkewMs?: number;
}

/**
 * Tells what a failed HTTP response from any service means for the credential that was sent: expired
 * (refresh and retry), revoked, invalid, missing, denied (stop), rate limited, unavailable, or UNKNOWN (never
 * retryable, so nothing loops on it). Returns null for a status below 400. Port of the Java SDK's
 * AuthFailureClassifier; `spec/auth-failures/` pins both to the same verdicts.
 */
export function classify(input: ClassifyInput, options: ClassifyOptions = {}): AuthFailure | null {
  if (!(input.status >= 400)) return null;
  const skew = options.clockSkewMs ?? 30_000;
  if (skew < 0) throw new RangeError("clockSkewMs must not be negative");
  const r = new ResponseView(input.status, input.headers, input.body ?? "", sentCredential(input.sent),
    (options.clock ?? systemClock).now(), skew);
  let d = null;
  for (const format of FORMATS) {
    d = format(r);
    if (d !== null) break;
  }
  if (d === null) d = statusFallback(r);
  d.status = input.status;
  if (d.retryAfterMs === null) d.withRetryAfterMs(r.retryAfterMs());
  if (d.kind === "EXPIRED" && d.expiredAt === null) d.withExpiredAt(r.sentExpiry());
  return d.build();
}
