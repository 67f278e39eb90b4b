package dev.mayfly.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.HttpReply;
import dev.mayfly.client.AccessToken;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Discovery and keys are served as verifiers will fetch them: both metadata documents (RFC 8414 and the
 * OpenID one) name the same issuer, the JWKS at their {@code jwks_uri} holds keys, and the key that signed
 * this run's admin token is among them. An issuer other than the URL doctor was given is a warning:
 * verifiers configured with that URL would refuse every token.
 */
final class MetadataCheck implements Check {
    static final String ID = "metadata";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckResult run(Deployment d) {
        long start = System.nanoTime();
        JsonNode oauth = d.metadata();
        HttpReply openid = d.get("/.well-known/openid-configuration");
        long metadataMs = (System.nanoTime() - start) / 1_000_000;
        String issuer = oauth.get("issuer").asText();
        String jwksUri = oauth.path("jwks_uri").asText(null);
        Evidence e = Evidence.of().with("issuer", issuer).with("jwks_uri", jwksUri).with("metadata_ms", metadataMs);
        List<String> problems = new ArrayList<>();
        JsonNode oidc = openid.json();
        if (!openid.successful() || oidc == null || !issuer.equals(oidc.path("issuer").asText())) {
            problems.add("/.well-known/openid-configuration answered HTTP " + openid.status() + " with another or no issuer");
        }
        if (jwksUri == null) {
            return CheckResult.fail(ID, "The metadata has no jwks_uri: verifiers cannot find the keys.", e);
        }
        start = System.nanoTime();
        HttpReply jwks = d.get(jwksUri);
        e.with("jwks_ms", (System.nanoTime() - start) / 1_000_000).with("jwks_status", jwks.status());
        JsonNode keys = jwks.json() == null ? null : jwks.json().path("keys");
        if (!jwks.successful() || keys == null || !keys.isArray() || keys.isEmpty()) {
            return CheckResult.fail(ID, jwksUri + " serves no keys (HTTP " + jwks.status() + "): every token would be refused.", e);
        }
        Set<String> kids = new LinkedHashSet<>();
        Set<String> algs = new LinkedHashSet<>();
        keys.forEach(k -> {
            kids.add(k.path("kid").asText());
            algs.add(k.path("alg").asText(k.path("kty").asText()));
        });
        e.with("keys", kids.size()).with("kids", List.copyOf(kids)).with("algs", List.copyOf(algs));
        try {
            AccessToken token = d.adminToken();
            Object kid = token.claims().map(c -> c.header().get("kid")).orElse(null);
            e.with("signing_kid", kid);
            if (kid == null || !kids.contains(kid.toString())) {
                problems.add("the key that signs tokens now (" + kid + ") is not in the JWKS");
            }
        } catch (RuntimeException ex) {
            e.with("signing_kid", "unknown: no admin token (" + ex.getMessage() + ")");
        }
        if (!problems.isEmpty()) {
            return CheckResult.fail(ID, String.join("; ", problems) + ".", e);
        }
        if (!issuer.equals(d.url())) {
            return CheckResult.warn(ID, "Tokens name issuer " + issuer + ", not " + d.url()
                    + ": configure verifiers with the issuer, not this URL.", e);
        }
        return CheckResult.pass(ID, "Metadata and JWKS served: issuer " + issuer + ", " + kids.size() + " key(s) "
                + algs + ".", e);
    }
}
