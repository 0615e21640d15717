package dev.tollgate.admin.db;

import dev.tollgate.admin.web.ApiException;
import java.time.Duration;
import java.util.function.ToLongFunction;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * Reading a row the ledger has just committed. Admin may read from a replica, so the row can lag
 * the ledger's result by a moment: look again a few times before giving up.
 */
public final class ReadBack {

    private static final int ATTEMPTS = 30;
    private static final Duration PAUSE = Duration.ofMillis(100);

    private ReadBack() {
    }

    /**
     * The row once it shows at least the version the ledger's result names: a lagging replica may still
     * hold the row as it was before the change, which must not be answered as its outcome.
     */
    public static <T> Mono<T> atVersion(Mono<T> read, ToLongFunction<T> version, long committedVersion) {
        return committed(read.filter(row -> version.applyAsLong(row) >= committedVersion));
    }

    public static <T> Mono<T> committed(Mono<T> read) {
        return read
                // Not repeatWhenEmpty(max, …): that one fails with IllegalStateException when the attempts run out.
                .repeatWhenEmpty(attempts -> attempts.take(ATTEMPTS).delayElements(PAUSE))
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "read_lag",
                        "the change was committed but cannot be read yet; read it again shortly")));
    }
}
