package dev.tollgate.relay.api.openai;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Bounds the upload bytes the relay holds in memory at once. An upload (an audio file, the images of an edit) stays
 * in memory until its request ends, so that a failover can send it again; without a bound, a few clients uploading
 * at the size limits at once would exhaust the heap. A request takes room by its declared size (the endpoint's
 * limit when it declares none) and gives it back when its exchange ends (this filter). One upload is always let in,
 * however large, so a small bound never makes the endpoint unusable.
 */
public final class UploadMemory implements WebFilter {

    private static final String HELD = UploadMemory.class.getName() + ".held";

    private final long budget;
    private final AtomicLong held = new AtomicLong();

    public UploadMemory(long budgetBytes) {
        if (budgetBytes < 1) {
            throw new IllegalArgumentException("upload memory must be positive: " + budgetBytes);
        }
        this.budget = budgetBytes;
    }

    /** A quarter of the heap: what the relay may hold of uploads beside everything else it keeps. */
    public static UploadMemory quarterOfHeap() {
        return new UploadMemory(Math.max(1, Runtime.getRuntime().maxMemory() / 4));
    }

    /** Takes room for {@code bytes} until {@code exchange} ends; false when uploads already hold too much. */
    boolean take(ServerWebExchange exchange, long bytes) {
        long now;
        do {
            now = held.get();
            if (now > 0 && now + bytes > budget) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        exchange.getAttributes().merge(HELD, bytes, (a, b) -> (Long) a + (Long) b);
        return true;
    }

    /** Bytes taken by requests still running. */
    public long held() {
        return held.get();
    }

    public long budget() {
        return budget;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange).doFinally(signal -> {
            Object taken = exchange.getAttributes().remove(HELD);
            if (taken instanceof Long bytes) {
                held.addAndGet(-bytes);
            }
        });
    }
}
