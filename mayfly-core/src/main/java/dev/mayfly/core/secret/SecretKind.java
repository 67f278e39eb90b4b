package dev.mayfly.core.secret;

import java.util.Optional;

/** The kinds of opaque secret Mayfly issues; the tag is the part between {@code mfy_} and the body. */
public enum SecretKind {
    REFRESH_TOKEN("rt"),
    CLIENT_SECRET("cs"),
    WEBHOOK_SECRET("wh");

    private final String tag;

    SecretKind(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    public String prefix() {
        return "mfy_" + tag + "_";
    }

    public static Optional<SecretKind> fromTag(String tag) {
        for (SecretKind k : values()) {
            if (k.tag.equals(tag)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
