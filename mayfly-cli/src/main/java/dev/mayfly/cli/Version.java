package dev.mayfly.cli;

import picocli.CommandLine;

/** The version string from the jar manifest (or "dev" when run from classes). */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"mayfly " + (v == null ? "dev" : v)};
    }
}
