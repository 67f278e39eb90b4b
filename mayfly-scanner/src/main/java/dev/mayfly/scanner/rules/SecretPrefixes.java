package dev.mayfly.scanner.rules;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixed prefixes of structured secret formats. Reports keep a secret's prefix visible
 * ({@code mfy_rt_********}) so a reader knows what leaked without seeing it, and the generic assignment
 * rule leaves values of these formats to their own rules (so a look-alike with a bad checksum is never
 * reported as a generic secret).
 */
public final class SecretPrefixes {
    private static final List<String> PREFIXES = List.of(
            "mfy_rt_", "mfy_cs_", "mfy_wh_", "github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "glpat-",
            "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-", "sk_live_", "rk_live_", "sk_test_", "rk_test_",
            "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-ant-api03-", "sk-ant-admin01-", "sk-ant-", "sk-",
            "AKIA", "ASIA", "ABIA", "ACCA", "A3T", "AIza", "eyJ", "https://hooks.slack.com/");
    private static final Pattern PEM_HEADER = Pattern.compile("^-----BEGIN [A-Z0-9 _-]{0,100}-----");

    private SecretPrefixes() {
    }

    /** The longest known prefix the secret starts with, or {@code ""}. Never more than a fixed literal. */
    public static String visiblePrefix(String secret) {
        Matcher pem = PEM_HEADER.matcher(secret);
        if (pem.find()) {
            return pem.group();
        }
        String best = "";
        for (String p : PREFIXES) {
            if (p.length() > best.length() && secret.startsWith(p) && secret.length() > p.length()) {
                best = p;
            }
        }
        return best;
    }

    /** True when the value starts like a structured format that has its own rule. */
    public static boolean hasKnownPrefix(String value) {
        // As !visiblePrefix(value).isEmpty() || ..., without a PEM matcher: the PEM header starts with
        // "-----BEGIN", tested anyway; the generic rule asks this for most candidate assignments.
        if (value.startsWith("mfy_") || value.startsWith("-----BEGIN")) {
            return true;
        }
        if (value.isEmpty() || value.charAt(0) >= 128 || !PREFIX_FIRST_CHARS[value.charAt(0)]) {
            return false;
        }
        for (String p : PREFIXES) {
            if (value.length() > p.length() && value.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The first characters of {@link #PREFIXES}: a value starting otherwise has none of them. */
    private static final boolean[] PREFIX_FIRST_CHARS = new boolean[128];

    static {
        for (String p : PREFIXES) {
            PREFIX_FIRST_CHARS[p.charAt(0)] = true;
        }
    }
}
