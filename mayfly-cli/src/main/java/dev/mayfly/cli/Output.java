package dev.mayfly.cli;

import dev.mayfly.core.envelope.Envelope;
import dev.mayfly.core.error.ErrorMapper;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.json.Json;
import dev.mayfly.verifier.RequestIds;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Where a command's result goes: exactly one JSON envelope on stdout when stdout is not a terminal or
 * {@code --json} was given, human text otherwise; diagnostics always on stderr. Returns the exit code.
 */
final class Output {
    private final boolean json;
    private final PrintStream out;
    private final PrintStream err;
    /** One id per invocation: in the envelope's meta and in any internal-error message. */
    private final String requestId = RequestIds.generate();

    Output(boolean json, PrintStream out, PrintStream err) {
        this.json = json;
        this.out = out;
        this.err = err;
    }

    static Output forArgs(String[] args) {
        boolean flag = Arrays.asList(args).contains("--json");
        return new Output(flag || System.console() == null, System.out, System.err);
    }

    static Output of(boolean jsonFlag) {
        return new Output(jsonFlag || System.console() == null, System.out, System.err);
    }

    boolean json() {
        return json;
    }

    int ok(Object data, long startNanos, Consumer<PrintStream> human) {
        if (json) {
            out.println(Json.write(Envelope.success(data, meta(startNanos))));
        } else {
            human.accept(out);
        }
        out.flush();
        return 0;
    }

    int fail(MayflyError error, long startNanos) {
        if (json) {
            out.println(Json.write(Envelope.failure(error, meta(startNanos))));
            out.flush();
        }
        err.println("mayfly: " + error.code() + ": " + error.message());
        if (error.reauthCommand() != null) {
            err.println("  to recover: " + error.reauthCommand());
        }
        return error.code().exitCode();
    }

    int failure(Throwable t, long startNanos) {
        MayflyError error = ErrorMapper.toError(t, requestId);
        if (error.code() == dev.mayfly.core.error.ErrorCode.INTERNAL) {
            err.println("mayfly: internal error " + requestId + ": " + t);
        }
        return fail(error, startNanos);
    }

    private Envelope.Meta meta(long startNanos) {
        return new Envelope.Meta((System.nanoTime() - startNanos) / 1_000_000, requestId);
    }
}
