package dev.mayfly.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSession;

/**
 * An error response whose body was read into memory to classify it, turned back into what the caller's
 * {@link HttpResponse.BodyHandler} would have produced, by feeding it the same bytes.
 */
final class BufferedErrorResponse<T> implements HttpResponse<T> {
    private final HttpResponse<?> raw;
    private final T body;

    private BufferedErrorResponse(HttpResponse<?> raw, T body) {
        this.raw = raw;
        this.body = body;
    }

    static <T> HttpResponse<T> of(HttpResponse<?> raw, byte[] bytes, HttpResponse.BodyHandler<T> handler) throws IOException {
        HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return raw.statusCode();
            }

            @Override
            public HttpHeaders headers() {
                return raw.headers();
            }

            @Override
            public HttpClient.Version version() {
                return raw.version();
            }
        };
        HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        subscriber.onNext(List.of(ByteBuffer.wrap(bytes)));
        subscriber.onComplete();
        try {
            return new BufferedErrorResponse<>(raw, subscriber.getBody().toCompletableFuture().get());
        } catch (ExecutionException e) {
            throw new IOException("the body handler failed on the error response", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while handling the error response", e);
        }
    }

    @Override
    public int statusCode() {
        return raw.statusCode();
    }

    @Override
    public HttpRequest request() {
        return raw.request();
    }

    @Override
    public Optional<HttpResponse<T>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
        return raw.headers();
    }

    @Override
    public T body() {
        return body;
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return raw.sslSession();
    }

    @Override
    public URI uri() {
        return raw.uri();
    }

    @Override
    public HttpClient.Version version() {
        return raw.version();
    }
}
