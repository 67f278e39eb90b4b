package dev.mayfly.cli.agent;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How an agent logs in without a client secret, as {@code agent create} and {@code agent update} take it: a
 * federated issuer with claim rules, and/or a public key for {@code private_key_jwt}. Written into the
 * {@code /v1/agents} body as {@code federated} and {@code public_key}.
 */
public final class TrustOptions {
    @Option(names = "--federated-issuer", paramLabel = "URL",
            description = "Trust tokens of this OIDC issuer (Kubernetes, GitHub Actions, GitLab CI, SPIFFE...) "
                    + "whose claims meet every --federated-claim.")
    String issuer;

    @Option(names = "--federated-claim", paramLabel = "NAME=VALUE",
            description = "A claim the issuer's token must carry (repeatable; all must match), e.g. "
                    + "repository=acme/shop, ref=refs/heads/main, namespace=agents, serviceaccount=summariser.")
    List<String> claims;

    @Option(names = "--public-key", paramLabel = "FILE",
            description = "The agent's public key (JWK or PEM 'PUBLIC KEY'; Ed25519, EC P-256, RSA >= 2048): it logs "
                    + "in with assertions signed by the private half (mayfly auth login --private-key).")
    Path publicKey;

    boolean any() {
        return issuer != null || claims != null || publicKey != null;
    }

    /** Adds {@code federated} and {@code public_key} to a request body, for the options given. */
    void addTo(Map<String, Object> body) {
        if (claims != null && issuer == null) {
            throw new MayflyException(ErrorCode.USAGE, "--federated-claim needs --federated-issuer.");
        }
        if (issuer != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("issuer", issuer);
            f.put("claims", rules());
            body.put("federated", f);
        }
        if (publicKey != null) {
            try {
                body.put("public_key", Files.readString(publicKey, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read the public key from " + publicKey + ".");
            }
        }
    }

    private Map<String, String> rules() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String rule : claims == null ? List.<String>of() : claims) {
            int eq = rule.indexOf('=');
            if (eq <= 0) {
                throw new MayflyException(ErrorCode.USAGE, "--federated-claim takes NAME=VALUE, e.g. ref=refs/heads/main.");
            }
            out.put(rule.substring(0, eq), rule.substring(eq + 1));
        }
        return out;
    }
}
