export { Clock, ManualClock, systemClock } from "./clock.js";
export { CATALOG, MayflyCode, MayflyError, REAUTH_ENV_VAR } from "./errors.js";
export { classify, ClassifyInput, ClassifyOptions } from "./classify/classify.js";
export {
  AuthFailure,
  AuthFailureError,
  Format,
  Kind,
  PermissionDeniedError,
  Recovery,
  toMayflyError,
} from "./classify/authFailure.js";
export { SentCredential, SentInput } from "./classify/sent.js";
