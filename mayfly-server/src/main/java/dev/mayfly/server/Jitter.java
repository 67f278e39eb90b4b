package dev.mayfly.server;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A source of uniform fractions in {@code [0, 1)}, for spreading timings (when to refresh, when to retry) so
 * that many clients started together do not act in lockstep. Injected, so tests can pin it.
 */
@FunctionalInterface
public interface Jitter {
    /** Thread-safe: each calling thread draws from its own generator. */
    Jitter RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    /** The next fraction, {@code 0 <= f < 1}. */
    double next();
}
