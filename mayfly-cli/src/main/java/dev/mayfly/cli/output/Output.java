package dev.mayfly.cli.output;

import dev.mayfly.core.envelope.Envelope;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.ErrorMapper;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.http.RequestIds;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where one invocation's result goes: exactly one JSON envelope on stdout when stdout is not a terminal or
 * {@code --json} was given, human text otherwise; warnings and diagnostics also on stderr. Returns the exit
 * code, which is 0 exactly when the envelope says {@code ok}. Not thread-safe except {@link #warn}.
 */
public final class Output {
    /** Set to any value to see the class and message of an internal error on stderr. */
    public static final String DEBUG_VAR = "MAYFLY_DEBUG";

    private final boolean json;
    private final PrintStream out;
    private final PrintStream err;
    private final long startNanos = System.nanoTime();
    /** One id per invocation: in the envelope's meta and in any internal-error message. */
    private final String requestId = RequestIds.generate();
    private final List<String> warnings = new ArrayList<>();

    public Output(boolean json, PrintStream out, PrintStream err) {
        this.json = json;
        this.out = out;
        this.err = err;
    }

    /** JSON when asked, or whenever stdout (or stdin) is not a terminal. */
    public static Output create(boolean jsonFlag) {
        return new Output(jsonFlag || System.console() == null, System.out, System.err);
    }

    /** For failures found before a command ran: {@code --json} anywhere before {@code --} counts. */
    public static Output forArgs(String[] args) {
        boolean flag = false;
        for (String a : args) {
            if ("--".equals(a)) {
                break;
            }
            flag |= "--json".equals(a);
        }
        return create(flag);
    }

    public boolean json() {
        return json;
    }

    public PrintStream err() {
        return err;
    }

    public PrintStream out() {
        return out;
    }

    public String requestId() {
        return requestId;
    }

    /** Adds a warning to the envelope (and says it on stderr now, for a human watching). */
    public synchronized void warn(String warning) {
        warnings.add(warning);
        err.println("mayfly: warning: " + warning);
    }

    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    public int ok(Object data, Consumer<PrintStream> human) {
        if (json) {
            out.println(Json.write(Envelope.success(data, warnings(), meta())));
        } else {
            human.accept(out);
        }
        out.flush();
        return 0;
    }

    public int fail(MayflyError error) {
        return fail(error, null, error.code().exitCode());
    }

    /**
     * A failure that still has a result ({@code mayfly scan} finding secrets): the envelope carries
     * {@code data}, and the exit code may be the caller's choice (never 0: {@code ok} is false).
     */
    public int fail(MayflyError error, Object data, int exitCode) {
        return fail(error, data, exitCode, null);
    }

    /**
     * A failure that carries data (a report whose items decide the outcome, {@code mayfly doctor}): the envelope
     * holds both; a human gets the report's text and then the error on stderr.
     */
    public int fail(MayflyError error, Object data, Consumer<PrintStream> human) {
        return fail(error, data, error.code().exitCode(), human);
    }

    private int fail(MayflyError error, Object data, int exitCode, Consumer<PrintStream> human) {
        if (exitCode == 0) {
            throw new IllegalArgumentException("a failure cannot exit 0");
        }
        if (json) {
            out.println(Json.write(Envelope.failure(error, data, warnings(), meta())));
        } else if (human != null) {
            human.accept(out);
        }
        out.flush();
        err.println("mayfly: " + error.code() + ": " + error.message());
        if (error.code().isAuth() || error.reauthCommand() != null) {
            err.println("  to recover: " + (error.reauthCommand() == null ? "no command can help" : error.reauthCommand()));
        }
        return exitCode;
    }

    /** Maps any failure through the catalog. An internal error names the request, never the exception's text. */
    public int failure(Throwable t) {
        MayflyError error = ErrorMapper.toError(t, requestId);
        if (error.code() == ErrorCode.INTERNAL) {
            // Exception messages may quote input (and so a secret): only the class unless debugging.
            err.println("mayfly: internal error " + requestId + ": " + t.getClass().getName()
                    + (System.getenv(DEBUG_VAR) != null ? ": " + t.getMessage() : ""));
            if (System.getenv(DEBUG_VAR) != null) {
                t.printStackTrace(err);
            }
        }
        return fail(error);
    }

    private Envelope.Meta meta() {
        return new Envelope.Meta((System.nanoTime() - startNanos) / 1_000_000, requestId);
    }
}
