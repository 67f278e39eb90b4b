package dev.mayfly.verifier;

import dev.mayfly.core.revocation.Revocation;

/**
 * Turns a {@link Revocation} into the {@code CREDENTIALS_REVOKED} rejection, with the command that recovers
 * at that granularity (DESIGN §3.1): a revoked token is replaced by refreshing, a revoked session by logging
 * in again; a revoked task or agent cannot be recovered by the agent itself. Stateless.
 */
final class RevocationRejections {
    private RevocationRejections() {
    }

    static Rejection of(Revocation revocation) {
        String what = revocation.granularity().wireName();
        var error = Reason.REVOKED.error("Access token was revoked (" + what + ").")
                .reauthCommand(reauthCommand(revocation.granularity()))
                .detail("revoked", what);
        if (revocation.reason() != null) {
            error.detail("reason", revocation.reason());
        }
        return Reason.REVOKED.reject(error);
    }

    static String reauthCommand(Revocation.Granularity granularity) {
        return switch (granularity) {
            case TOKEN -> Reason.Reauth.REFRESH;
            case SESSION -> Reason.Reauth.LOGIN;
            case TASK, AGENT -> Reason.Reauth.NONE;
        };
    }
}
