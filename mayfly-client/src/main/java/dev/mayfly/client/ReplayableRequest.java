package dev.mayfly.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A request prepared to be sent up to twice: without a body, or with a body of known length up to a limit,
 * read once into memory and sent from there each time. A body of unknown length (a stream) or over the
 * limit is sent as given and cannot be replayed.
 */
final class ReplayableRequest {
    private final HttpRequest request;
    private final HttpRequest.BodyPublisher body;
    private final boolean replayable;

    private ReplayableRequest(HttpRequest request, HttpRequest.BodyPublisher body, boolean replayable) {
        this.request = request;
        this.body = body;
        this.replayable = replayable;
    }

    static ReplayableRequest of(HttpRequest request, int maxBytes) throws IOException, InterruptedException {
        if (request.bodyPublisher().isEmpty()) {
            return new ReplayableRequest(request, null, true);
        }
        HttpRequest.BodyPublisher publisher = request.bodyPublisher().get();
        long length = publisher.contentLength();
        if (length == 0) {
            return new ReplayableRequest(request, HttpRequest.BodyPublishers.noBody(), true);
        }
        if (length < 0 || length > maxBytes) {
            return new ReplayableRequest(request, publisher, false);
        }
        return new ReplayableRequest(request, HttpRequest.BodyPublishers.ofByteArray(read(publisher, (int) length)), true);
    }

    boolean replayable() {
        return replayable;
    }

    /** The request with {@code authorization} as its only {@code Authorization} header. */
    HttpRequest with(String authorization) {
        return with(authorization, null);
    }

    /** As {@link #with(String)}, and {@code dpopProof} (when not null) as its only {@code DPoP} header. */
    HttpRequest with(String authorization, String dpopProof) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization")
                && !name.equalsIgnoreCase("DPoP"));
        if (body != null) {
            b.method(request.method(), body);
        }
        if (dpopProof != null) {
            b.header("DPoP", dpopProof);
        }
        return b.header("Authorization", authorization).build();
    }

    /** The request's method and URI, which a DPoP proof names ({@code htm}, {@code htu}). */
    HttpRequest request() {
        return request;
    }

    private static byte[] read(HttpRequest.BodyPublisher publisher, int length) throws IOException, InterruptedException {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.write(chunk, 0, chunk.length);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(out.toByteArray());
            }
        });
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("could not read the request body", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the request body publisher did not complete");
        }
    }
}
