package dev.tollgate.relay.api;

import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Any failure of a request's chain as a {@link Rejection}, for the dialect's error writer. */
public final class Rejections {

    private static final Logger log = LoggerFactory.getLogger(Rejections.class);

    private Rejections() {
    }

    /** What is not ours to explain becomes a bare 500 (logged without a stack trace for the client). */
    public static Rejection from(Throwable error) {
        if (error instanceof Rejection rejection) {
            return rejection;
        }
        if (error instanceof Untranslatable untranslatable) {
            return Rejection.invalid(untranslatable.getMessage(), untranslatable.param());
        }
        if (error instanceof UpstreamFailure.TimedOut) {
            return Rejection.of(Rejection.Kind.UPSTREAM_TIMEOUT, "The upstream model provider did not answer in time.");
        }
        if (error instanceof UpstreamFailure.Unreachable) {
            return Rejection.of(Rejection.Kind.UPSTREAM_UNREACHABLE, "The upstream model provider could not be reached.");
        }
        log.error("Unexpected failure on the request path", error);
        return Rejection.of(Rejection.Kind.INTERNAL, "The server had an error while processing your request.");
    }
}
