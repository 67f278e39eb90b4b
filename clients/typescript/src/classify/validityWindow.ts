import { Draft } from "./authFailure.js";
import { parseRfc1123 } from "./instants.js";

const DATE = "([A-Za-z]{3}, \\d{1,2} [A-Za-z]{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT)";
const SAS = new RegExp(`Start \\[${DATE}\\] - Expiry \\[${DATE}\\] - Current \\[${DATE}\\]`);
const COSMOS = new RegExp(`token start time: ${DATE}, token expiry time: ${DATE}, current server time: ${DATE}`);

/**
 * A credential's validity window as a server reports it when a request falls outside it, with the server's
 * own time: Azure Storage SAS ("Signature not valid in the specified time frame: Start [..] - Expiry [..] -
 * Current [..]") and Cosmos DB ("token start time: .., token expiry time: .., current server time: ..").
 * Server time past the expiry: the credential expired then. Server time before the start: the credential
 * was made by a clock running ahead, which a new one from the same clock does not fix. Port of the Java SDK's
 * ValidityWindow; instants in epoch ms.
 */
export class ValidityWindow {
  private constructor(readonly start: number, readonly expiry: number, readonly current: number) {}

  /** The window a text reports, or null when it reports none (or a date in it is no date). */
  static in(text: string | null | undefined): ValidityWindow | null {
    if (text == null) return null;
    for (const p of [SAS, COSMOS]) {
      const m = p.exec(text);
      if (m) {
        const [start, expiry, current] = [parseRfc1123(m[1]), parseRfc1123(m[2]), parseRfc1123(m[3])];
        return start === null || expiry === null || current === null ? null : new ValidityWindow(start, expiry, current);
      }
    }
    return null;
  }

  /** EXPIRED at the window's end, INVALID + FIX_CLOCK before its start, null when the time was inside it. */
  verdict(code: string | null, message: string | null): Draft | null {
    if (this.current > this.expiry) {
      return new Draft("EXPIRED", "AZURE").withCode(code).withMessage(message).withExpiredAt(this.expiry);
    }
    if (this.current < this.start) {
      return new Draft("INVALID", "AZURE").withCode(code).withMessage(message).withRecovery("FIX_CLOCK").withRetryable(false);
    }
    return null;
  }
}
