package dev.mayfly.cli.doctor;

/** One item of the production checklist, run against a live deployment: one job, one verdict with its evidence. */
interface Check {
    /** Stable id ({@code broker}, {@code clock}...): the key in doctor's data and in its warnings. */
    String id();

    /** Whether it talks to the broker (and so cannot run when the broker is unreachable). */
    default boolean needsBroker() {
        return true;
    }

    /** Runs the check. A {@link dev.mayfly.core.error.MayflyException} it throws becomes a failure with its message. */
    CheckResult run(Deployment deployment);
}
