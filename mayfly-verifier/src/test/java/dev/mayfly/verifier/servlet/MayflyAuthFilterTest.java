package dev.mayfly.verifier.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.verifier.TokenVerifier;
import dev.mayfly.verifier.fixtures.AuthAdapterContract;
import dev.mayfly.verifier.fixtures.TestServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

class MayflyAuthFilterTest extends AuthAdapterContract {
    final AtomicInteger servletCalls = new AtomicInteger();

    /** Answers with what {@link MayflyAuthFilter} left on the request. */
    final class Echo extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            servletCalls.incrementAndGet();
            byte[] body = echo(request.getAttribute(MayflyAuthFilter.CLAIMS_ATTRIBUTE),
                    request.getAttribute(MayflyAuthFilter.REQUEST_ID_ATTRIBUTE));
            response.setStatus(200);
            response.setContentType("application/json");
            response.getOutputStream().write(body);
        }
    }

    @Override
    protected TestServer start(TokenVerifier verifier) throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        MayflyAuthFilter filter = new MayflyAuthFilter(verifier,
                request -> scopesFor(request.getMethod()),
                request -> "/healthz".equals(request.getRequestURI()));
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new Echo()), "/*");
        return TestServer.start(context);
    }

    @Test
    void aRejectedRequestNeverReachesTheServlet() throws Exception {
        HttpResponse<String> denied = send("DELETE", "/orders/1", "Bearer " + token(), null);
        HttpResponse<String> missing = send("GET", "/orders", null, null);
        assertThat(List.of(denied.statusCode(), missing.statusCode())).containsExactly(403, 401);
        assertThat(servletCalls).hasValue(0);

        assertThat(send("GET", "/orders", "Bearer " + token(), null).statusCode()).isEqualTo(200);
        assertThat(servletCalls).hasValue(1);
    }
}
