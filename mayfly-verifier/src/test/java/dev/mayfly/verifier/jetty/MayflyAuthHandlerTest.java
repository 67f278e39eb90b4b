package dev.mayfly.verifier.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.verifier.TokenVerifier;
import dev.mayfly.verifier.fixtures.AuthAdapterContract;
import dev.mayfly.verifier.fixtures.TestServer;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

class MayflyAuthHandlerTest extends AuthAdapterContract {
    /** Answers with what {@link MayflyAuthHandler} left on the request. */
    static final class Echo extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            byte[] body = echo(request.getAttribute(MayflyAuthHandler.CLAIMS_ATTRIBUTE),
                    request.getAttribute(MayflyAuthHandler.REQUEST_ID_ATTRIBUTE));
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }

    @Override
    protected TestServer start(TokenVerifier verifier) throws Exception {
        return TestServer.start(new MayflyAuthHandler(verifier,
                request -> scopesFor(request.getMethod()),
                request -> "/healthz".equals(request.getHttpURI().getPath()),
                new Echo()));
    }

    @Test
    void usesTheRequestIdAnOuterHandlerChose() throws Exception {
        server.close();
        MayflyAuthHandler auth = new MayflyAuthHandler(verifier, Set.of("orders:read"));
        auth.setHandler(new Echo());
        Handler.Wrapper outer = new Handler.Wrapper(auth) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                request.setAttribute("dev.mayfly.requestId", "req_fromOuterHandler");
                return super.handle(request, response, callback);
            }
        };
        server = TestServer.start(outer);

        HttpResponse<String> ok = send("GET", "/anything", "Bearer " + token(), "client-chosen");
        HttpResponse<String> denied = send("GET", "/anything", null, "client-chosen");

        assertThat(json(ok).get("request_id").asText()).isEqualTo("req_fromOuterHandler");
        assertThat(ok.headers().firstValue("X-Request-Id")).hasValue("req_fromOuterHandler");
        assertThat(json(denied).at("/meta/request_id").asText()).isEqualTo("req_fromOuterHandler");
    }

    @Test
    void declaresItselfBlockingBecauseAKeyFetchMayBlock() {
        MayflyAuthHandler auth = new MayflyAuthHandler(verifier, Set.of());
        assertThat(auth.getInvocationType()).isEqualTo(org.eclipse.jetty.util.thread.Invocable.InvocationType.BLOCKING);
    }
}
