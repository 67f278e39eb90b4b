package dev.mayfly.cli.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialCacheTest {
    @TempDir
    Path dir;

    private static CachedSession session(String url, String access) {
        Instant t = Instant.parse("2026-11-22T14:00:00Z");
        return new CachedSession(url, "cid_1", "agt_1", "ses_1", Secret.of(access), t.plusSeconds(600), t.plusSeconds(420),
                Secret.of("mfy_rt_secret"), t.plusSeconds(1800), List.of("a", "b"), "standard", t);
    }

    @Test
    void roundTripsOneSessionPerBrokerInAPrivateFile() throws Exception {
        Path home = dir.resolve("home");
        CredentialCache cache = new CredentialCache(home);
        try (CacheLock lock = cache.lock()) {
            cache.put(lock, session("http://a", "tok-a"));
            cache.put(lock, session("http://b", "tok-b"));
        }
        assertThat(cache.read("http://a").orElseThrow().accessToken().reveal()).isEqualTo("tok-a");
        assertThat(cache.read("http://b").orElseThrow().scopes()).containsExactly("a", "b");
        assertThat(cache.read("http://c")).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left behind")
                    .containsExactlyInAnyOrder(CredentialCache.FILE, CredentialCache.LOCK_FILE);
        }
        try (CacheLock lock = cache.lock()) {
            cache.remove(lock, "http://a");
        }
        assertThat(cache.read("http://a")).isEmpty();
        assertThat(cache.read("http://b")).isPresent();
    }

    @Test
    void theSessionsToStringShowsNoToken() {
        assertThat(session("http://a", "eyJsecret-access").toString()).doesNotContain("eyJsecret-access").doesNotContain("mfy_rt_secret");
    }

    @Test
    void writingWithoutTheLockIsABug() {
        CredentialCache cache = new CredentialCache(dir);
        assertThatThrownBy(() -> cache.put(null, session("http://a", "t"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnreadableCacheIsAPreconditionNotACrash() throws Exception {
        Files.writeString(dir.resolve(CredentialCache.FILE), "{not json");
        assertThatThrownBy(() -> new CredentialCache(dir).read("http://a"))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION));
    }

    @Test
    void theLockLetsOneHolderInAtATime() throws Exception {
        CredentialCache cache = new CredentialCache(dir);
        AtomicInteger inside = new AtomicInteger();
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 6; i++) {
            pool.submit(() -> {
                go.await();
                try (CacheLock lock = cache.lock()) {
                    seen.add(inside.incrementAndGet());
                    Thread.sleep(10);
                    inside.decrementAndGet();
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(6).containsOnly(1);
    }
}
