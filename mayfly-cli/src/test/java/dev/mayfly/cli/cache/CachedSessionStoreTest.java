package dev.mayfly.cli.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.client.SessionStore;
import dev.mayfly.core.secret.Secret;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedSessionStoreTest {
    private static final Instant T = Instant.parse("2026-11-22T14:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theSdkSeesTheCachedSessionAndASaveKeepsWhatOnlyTheCacheKnows() {
        CredentialCache cache = new CredentialCache(dir);
        try (CacheLock lock = cache.lock()) {
            cache.put(lock, new CachedSession("http://a", "cid_1", "agt_1", "ses_1", Secret.of("tok-1"), T.plusSeconds(600),
                    T.plusSeconds(420), Secret.of("mfy_rt_1"), T.plusSeconds(1800), List.of("a", "b"), "standard", T));
        }
        CachedSessionStore store = new CachedSessionStore(cache, "http://a", Clock.fixed(T.plusSeconds(500), ZoneOffset.UTC));
        try (SessionStore.Locked l = store.lock()) {
            SessionStore.Session s = l.load().orElseThrow();
            assertThat(s.accessToken().reveal()).isEqualTo("tok-1");
            assertThat(s.refreshAt()).isEqualTo(T.plusSeconds(420));
            assertThat(s.refreshToken().orElseThrow().reveal()).isEqualTo("mfy_rt_1");
            assertThat(store.savedHere()).isFalse();
            l.save(SessionStore.Session.of(Secret.of("tok-2"), T.plusSeconds(1100), T.plusSeconds(950), Secret.of("mfy_rt_2"),
                    T.plusMillis(1_800_400)));
        }
        assertThat(store.savedHere()).isTrue();
        CachedSession after = cache.read("http://a").orElseThrow();
        assertThat(after.accessToken().reveal()).isEqualTo("tok-2");
        assertThat(after.refreshToken().reveal()).isEqualTo("mfy_rt_2");
        assertThat(after.expiresAt()).isEqualTo(T.plusSeconds(1100));
        assertThat(after.refreshAfter()).isEqualTo(T.plusSeconds(950));
        assertThat(after.sessionExpiresAt()).isEqualTo(T.plusSeconds(1800));
        assertThat(after.clientId()).isEqualTo("cid_1");
        assertThat(after.agentId()).isEqualTo("agt_1");
        assertThat(after.sessionId()).isEqualTo("ses_1");
        assertThat(after.scopes()).containsExactly("a", "b");
        assertThat(after.obtainedAt()).isEqualTo(T.plusSeconds(500));
    }
}
