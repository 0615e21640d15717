package dev.tollgate.admin.db;

import dev.tollgate.admin.web.ApiException;
import java.time.Duration;
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

    public static <T> Mono<T> committed(Mono<T> read) {
        return read
                .repeatWhenEmpty(ATTEMPTS, attempts -> attempts.delayElements(PAUSE))
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "read_lag",
                        "the change was committed but cannot be read yet; read it again shortly")));
    }
}
