package dev.mayfly.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The libraries other people embed keep a small public API of their own types (DESIGN §2): no JOSE, Failsafe,
 * Caffeine or broker type appears in a public signature, so those can change without breaking a user, and the
 * list of public types is the one docs/architecture.md gives.
 */
class PublicApiTest {
    static final JavaClasses MAYFLY = LayeringTest.MAYFLY;

    /** Packages whose types must never show in the libraries' public signatures. */
    static final String[] FOREIGN = {
        "com.nimbusds.", "com.google.crypto.tink.", "dev.failsafe.", "com.github.benmanes.caffeine.", "dev.mayfly.server.", "dev.mayfly.cli.",
        "dev.mayfly.policy.", "dev.mayfly.scanner.",
    };

    static final DescribedPredicate<JavaClass> PUBLIC_LIBRARY_TYPE = DescribedPredicate.describe(
            "public types of mayfly-client and mayfly-verifier",
            c -> c.getModifiers().contains(JavaModifier.PUBLIC) && isLibrary(c) && isReachable(c));

    static boolean isLibrary(JavaClass c) {
        return c.getPackageName().startsWith("dev.mayfly.client") || c.getPackageName().startsWith("dev.mayfly.verifier");
    }

    /** A nested public type of a package-private class is not reachable from outside. */
    static boolean isReachable(JavaClass c) {
        for (JavaClass outer = c.getEnclosingClass().orElse(null); outer != null; outer = outer.getEnclosingClass().orElse(null)) {
            if (!outer.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    static String foreignIn(JavaType type) {
        return type.getAllInvolvedRawTypes().stream().map(JavaClass::getName)
                .filter(n -> Stream.of(FOREIGN).anyMatch(n::startsWith)).findFirst().orElse(null);
    }

    @Test
    void publicMethodsAndConstructorsExposeNoForeignType() {
        codeUnits().that().areDeclaredInClassesThat(PUBLIC_LIBRARY_TYPE)
                .and(DescribedPredicate.describe("are public or protected", (JavaCodeUnit u) -> visible(u.getModifiers())))
                .should(new ArchCondition<JavaCodeUnit>("expose no JOSE, Failsafe, Caffeine or broker type") {
                    @Override
                    public void check(JavaCodeUnit unit, ConditionEvents events) {
                        Stream<JavaType> types = Stream.concat(Stream.of(unit.getReturnType()), unit.getParameterTypes().stream());
                        Stream.concat(types, unit.getExceptionTypes().stream()).map(PublicApiTest::foreignIn)
                                .filter(n -> n != null).findFirst()
                                .ifPresent(n -> events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " exposes " + n)));
                    }
                })
                .check(MAYFLY);
    }

    @Test
    void publicFieldsExposeNoForeignType() {
        fields().that().areDeclaredInClassesThat(PUBLIC_LIBRARY_TYPE)
                .and(DescribedPredicate.describe("are public or protected", (JavaField f) -> visible(f.getModifiers())))
                .should(new ArchCondition<JavaField>("expose no JOSE, Failsafe, Caffeine or broker type") {
                    @Override
                    public void check(JavaField field, ConditionEvents events) {
                        String n = foreignIn(field.getType());
                        if (n != null) {
                            events.add(SimpleConditionEvent.violated(field, field.getFullName() + " exposes " + n));
                        }
                    }
                })
                .check(MAYFLY);
    }

    @Test
    void publicTypesExtendNoForeignType() {
        for (JavaClass c : MAYFLY) {
            if (PUBLIC_LIBRARY_TYPE.test(c)) {
                Stream<JavaType> supers = Stream.concat(c.getRawSuperclass().stream().map(JavaType.class::cast),
                        c.getInterfaces().stream());
                assertThat(supers.map(PublicApiTest::foreignIn).filter(n -> n != null)).as(c.getName()).isEmpty();
            }
        }
    }

    /** The public types of mayfly-verifier, as listed in docs/architecture.md: a new one is a decision, not an accident. */
    @Test
    void theVerifiersPublicTypesAreTheDocumentedOnes() {
        assertThat(publicTypes("dev.mayfly.verifier")).containsExactly(
                "dev.mayfly.verifier.AuthFailureResponse",
                "dev.mayfly.verifier.BearerChallenge",
                "dev.mayfly.verifier.BearerTokens",
                "dev.mayfly.verifier.Decision",
                "dev.mayfly.verifier.DpopNonces",
                "dev.mayfly.verifier.DpopProof",
                "dev.mayfly.verifier.DpopProofVerifier",
                "dev.mayfly.verifier.DpopProofVerifier$Builder",
                "dev.mayfly.verifier.DpopTokens",
                "dev.mayfly.verifier.Ed25519Check",
                "dev.mayfly.verifier.FeedStatus",
                "dev.mayfly.verifier.FeedStatus$FailMode",
                "dev.mayfly.verifier.FeedStatus$State",
                "dev.mayfly.verifier.JwksSource",
                "dev.mayfly.verifier.RevocationFeedSubscriber",
                "dev.mayfly.verifier.RevocationFeedSubscriber$Builder",
                "dev.mayfly.verifier.TokenVerifier",
                "dev.mayfly.verifier.TokenVerifier$Builder",
                "dev.mayfly.verifier.jetty.MayflyAuthHandler",
                "dev.mayfly.verifier.servlet.MayflyAuthFilter");
    }

    /** The public types of mayfly-client, as listed in docs/architecture.md. */
    @Test
    void theClientsPublicTypesAreTheDocumentedOnes() {
        assertThat(publicTypes("dev.mayfly.client")).containsExactly(
                "dev.mayfly.client.AccessToken",
                "dev.mayfly.client.AuthFailureException",
                "dev.mayfly.client.AuthenticatedHttpClient",
                "dev.mayfly.client.AuthenticatedHttpClient$Builder",
                "dev.mayfly.client.Backoff",
                "dev.mayfly.client.ClientAssertions",
                "dev.mayfly.client.DpopKey",
                "dev.mayfly.client.HttpReply",
                "dev.mayfly.client.MayflyHttp",
                "dev.mayfly.client.MayflyHttp$Builder",
                "dev.mayfly.client.OAuthClient",
                "dev.mayfly.client.PermissionDeniedException",
                "dev.mayfly.client.RefreshPolicy",
                "dev.mayfly.client.RefreshPolicy$Builder",
                "dev.mayfly.client.Scheduler",
                "dev.mayfly.client.Scheduler$Cancellable",
                "dev.mayfly.client.SessionStore",
                "dev.mayfly.client.SessionStore$Locked",
                "dev.mayfly.client.SessionStore$Session",
                "dev.mayfly.client.TokenRequest",
                "dev.mayfly.client.TokenRequest$Builder",
                "dev.mayfly.client.TokenResponse",
                "dev.mayfly.client.TokenSource",
                "dev.mayfly.client.TokenSource$Builder",
                "dev.mayfly.client.TokenSource$ClientAuthentication",
                "dev.mayfly.client.UnverifiedJwt",
                "dev.mayfly.client.V1Api",
                "dev.mayfly.client.classify.AuthFailure",
                "dev.mayfly.client.classify.AuthFailure$Builder",
                "dev.mayfly.client.classify.AuthFailure$Format",
                "dev.mayfly.client.classify.AuthFailure$Kind",
                "dev.mayfly.client.classify.AuthFailure$Recovery",
                "dev.mayfly.client.classify.AuthFailureClassifier",
                "dev.mayfly.client.classify.AuthFailureClassifier$Builder",
                "dev.mayfly.client.classify.BrokerErrors",
                "dev.mayfly.client.classify.SentCredential");
    }

    static Set<String> publicTypes(String packagePrefix) {
        Set<String> names = new TreeSet<>();
        for (JavaClass c : MAYFLY) {
            if (c.getPackageName().startsWith(packagePrefix) && c.getModifiers().contains(JavaModifier.PUBLIC) && isReachable(c)) {
                names.add(c.getName());
            }
        }
        return names;
    }
}
