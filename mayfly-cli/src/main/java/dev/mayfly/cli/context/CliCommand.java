package dev.mayfly.cli.context;

import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.output.OutputOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A leaf command: runs with the invocation's {@link CliContext} and reports through one {@link Output}, so
 * every outcome (including an unexpected exception) ends as one envelope and a catalog exit code.
 */
public abstract class CliCommand implements Callable<Integer> {
    @Mixin
    public OutputOptions outputOptions = new OutputOptions();

    private CliContext context;

    void context(CliContext context) {
        this.context = context;
    }

    protected CliContext context() {
        if (context == null) {
            context = CliContext.fromProcess();
        }
        return context;
    }

    @Override
    public final Integer call() {
        Output out = Output.create(outputOptions.json);
        try {
            return execute(out);
        } catch (Exception e) {
            return out.failure(e);
        }
    }

    /** Does the work and returns the exit code, usually from {@link Output#ok} or {@link Output#fail}. */
    protected abstract int execute(Output out) throws Exception;
}
