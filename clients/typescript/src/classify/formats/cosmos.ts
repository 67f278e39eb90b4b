import { Draft } from "../authFailure.js";
import { ResponseView, text } from "../responseView.js";
import { ValidityWindow } from "../validityWindow.js";
import { wordingVerdict } from "../wording.js";

/**
 * Azure Cosmos DB: a top-level `{"code":"Unauthorized","message":"...\r\nActivityId: ..."}` with an
 * `x-ms-activity-id` header. A token outside its window is answered 403 with the window and the server's time
 * in the message (ValidityWindow). Any other 401 is the key or the signed payload being wrong ("The input
 * authorization token can't serve the request"), unless the words say missing or expired.
 */
export function cosmosFormat(r: ResponseView): Draft | null {
  const json = r.json();
  const code = text(json, "code");
  const message = text(json, "message");
  if (code === null || message === null || typeof json?.code === "number"
    || (r.header("x-ms-activity-id") === null && !message.includes("ActivityId:"))) {
    return null;
  }
  const firstLine = message.split(/\r?\n/)[0];
  const outside = ValidityWindow.in(message)?.verdict(code, firstLine);
  if (outside) return outside;
  switch (code) {
    case "Unauthorized":
      return wordingVerdict(firstLine, "AZURE", code, firstLine, r)
        ?? new Draft("INVALID", "AZURE").withCode(code).withMessage(firstLine).withRecovery("REPLACE_CREDENTIAL");
    case "Forbidden": {
      const said = wordingVerdict(firstLine, "AZURE", code, firstLine, r);
      return said !== null && said.kind !== "INVALID" ? said : new Draft("DENIED", "AZURE").withCode(code).withMessage(firstLine);
    }
    case "TooManyRequests":
    case "429":
      return new Draft("RATE_LIMITED", "AZURE").withCode(code).withMessage(firstLine);
    default:
      return null;
  }
}
