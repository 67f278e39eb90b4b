package dev.mayfly.cli.context;

import picocli.CommandLine;

/** Creates commands for picocli and hands each the invocation's context. */
public final class ContextFactory implements CommandLine.IFactory {
    private final CliContext context;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    public ContextFactory(CliContext context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        K instance = fallback.create(cls);
        if (instance instanceof CliCommand) {
            ((CliCommand) instance).context(context);
        }
        return instance;
    }
}
