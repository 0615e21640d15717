package dev.tollgate.relay.provider;

import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.TimeoutException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.netty.http.client.PrematureCloseException;

/** The HTTP adapters' transport errors as {@link UpstreamFailure}s, for {@code onErrorMap(is, to)}. */
public final class UpstreamFailures {

    private UpstreamFailures() {
    }

    /** Could not connect, timed out, or the connection closed before the answer was whole. */
    public static boolean isTransportFailure(Throwable e) {
        return e instanceof WebClientRequestException || e instanceof PrematureCloseException
                || e.getCause() instanceof PrematureCloseException || isTimeout(e);
    }

    public static UpstreamFailure toFailure(Throwable e) {
        if (isTimeout(e)) {
            return new UpstreamFailure.TimedOut("upstream did not answer in time", e);
        }
        return new UpstreamFailure.Unreachable("upstream unreachable: " + e.getClass().getSimpleName(), e);
    }

    private static boolean isTimeout(Throwable e) {
        return e instanceof TimeoutException || e instanceof ReadTimeoutException
                || e.getCause() instanceof ReadTimeoutException;
    }
}
