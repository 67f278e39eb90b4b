package dev.mayfly.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module order of DESIGN §2, checked on the compiled classes: a module's code refers only to modules above
 * it and to the libraries its row names. The Maven enforcer's {@code bannedDependencies} keeps the artifacts
 * off the class path; this keeps the code from reaching them through something that happens to be there.
 */
class LayeringTest {
    static final JavaClasses MAYFLY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mayfly");

    static final String JDK = "java..";

    @Test
    void coreUsesJacksonAndTheJdkOnly() {
        classes().that().resideInAPackage("dev.mayfly.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, "javax.crypto..", "com.fasterxml.jackson..",
                        "dev.mayfly.core..")
                .check(MAYFLY);
    }

    @Test
    void policyFilesAddOnlyToml() {
        classes().that().resideInAPackage("dev.mayfly.policy..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, "com.fasterxml.jackson..", "dev.mayfly.core..",
                        "dev.mayfly.policy..")
                .check(MAYFLY);
    }

    @Test
    void theAgentSdkNeedsCoreFailsafeAndTheJdk() {
        classes().that().resideInAPackage("dev.mayfly.client..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, "javax.net.ssl..", "com.fasterxml.jackson..",
                        "dev.failsafe..", "dev.mayfly.core..", "dev.mayfly.client..")
                .check(MAYFLY);
    }

    @Test
    void theVerifierNeedsCoreJoseTinkCaffeineAndItsAdaptersServers() {
        classes().that().resideInAPackage("dev.mayfly.verifier..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, "javax.net.ssl..", "com.fasterxml.jackson..",
                        "com.nimbusds..", "com.google.crypto.tink.subtle..", "com.github.benmanes.caffeine..",
                        "dev.mayfly.core..", "dev.mayfly.verifier..",
                        // the adapters, each for the server its users already run (provided scope)
                        "org.eclipse.jetty..", "jakarta.servlet..")
                .check(MAYFLY);
    }

    @Test
    void theJettyAndServletAdaptersStayInTheirOwnPackages() {
        noClasses().that().resideInAPackage("dev.mayfly.verifier")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "jakarta.servlet..")
                .check(MAYFLY);
    }

    @Test
    void theScannerKnowsNothingOfTokensBrokersOrAgents() {
        noClasses().that().resideInAPackage("dev.mayfly.scanner..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mayfly.client..", "dev.mayfly.verifier..",
                        "dev.mayfly.server..", "dev.mayfly.cli..", "dev.mayfly.policy..", "com.nimbusds..")
                .check(MAYFLY);
    }

    @Test
    void theBrokerDoesNotUseTheAgentSdkOrTheCli() {
        noClasses().that().resideInAPackage("dev.mayfly.server..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mayfly.client..", "dev.mayfly.cli..")
                .check(MAYFLY);
    }

    @Test
    void nothingBelowTheCliUsesIt() {
        noClasses().that().resideOutsideOfPackages("dev.mayfly.cli..", "dev.mayfly.bench..")
                .should().dependOnClassesThat().resideInAPackage("dev.mayfly.cli..")
                .check(MAYFLY);
    }
}
