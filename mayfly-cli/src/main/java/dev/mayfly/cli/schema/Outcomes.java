package dev.mayfly.cli.schema;

import dev.mayfly.core.error.ErrorCode;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a command prints and which exit codes it can return, declared beside the command so that
 * {@code mayfly schema} and the code cannot drift apart. {@code USAGE} and {@code INTERNAL} are implied.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Outcomes {
    /** What {@code data} holds on success. */
    String data();

    /** Calls the broker with a credential: adds the five auth codes and UNAVAILABLE, TIMEOUT, RATE_LIMITED. */
    boolean authenticated() default false;

    /** Further codes this command can return. */
    ErrorCode[] errors() default {};

    /** Exits with the code of the command it runs (any 0-255), besides its own codes. */
    boolean passesThroughChildExit() default false;

    /** Prints JSON lines (a stream) rather than one envelope, except for a failure before the stream starts. */
    boolean streams() default false;
}
