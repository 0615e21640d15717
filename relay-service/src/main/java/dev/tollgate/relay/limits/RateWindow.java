package dev.tollgate.relay.limits;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One scope's requests and tokens over the last minute, counted on this relay, in a ring of 5-second buckets. The
 * window holds the current bucket and the twelve before it, so it spans 60 to 65 seconds: any 60-second span ending
 * now is inside it, and a limit is never exceeded within one minute by this relay's own counts (it errs by up to one
 * bucket on the strict side). Guarded by its lock; {@link RateLimiter} takes the locks of a request's scopes in one
 * order.
 */
final class RateWindow {

    static final long BUCKET_MS = 5_000;
    static final int BUCKETS = 13;
    static final long WINDOW_MS = 60_000;

    final String scope;
    final ReentrantLock lock = new ReentrantLock();
    private final long[] epochs = new long[BUCKETS];
    private final long[] requests = new long[BUCKETS];
    private final long[] tokens = new long[BUCKETS];
    private long touchedAtMs;
    /** Set under the lock when the window is dropped from the limiter's map: a late user must fetch a new one. */
    private boolean retired;

    RateWindow(String scope) {
        this.scope = scope;
        java.util.Arrays.fill(epochs, Long.MIN_VALUE);
    }

    static long bucketOf(long nowMs) {
        return Math.floorDiv(nowMs, BUCKET_MS);
    }

    /** Requests and tokens in the window at {@code nowMs}. */
    Counts totals(long nowMs) {
        long current = bucketOf(nowMs);
        long r = 0;
        long t = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (inWindow(epochs[i], current)) {
                r += requests[i];
                t += tokens[i];
            }
        }
        return new Counts(Math.max(0, r), Math.max(0, t));
    }

    /** Counts into the bucket of {@code nowMs}; returns that bucket's number. */
    long add(long nowMs, long addRequests, long addTokens) {
        long bucket = bucketOf(nowMs);
        int slot = slot(bucket);
        if (epochs[slot] != bucket) {
            epochs[slot] = bucket;
            requests[slot] = 0;
            tokens[slot] = 0;
        }
        requests[slot] += addRequests;
        tokens[slot] += addTokens;
        touchedAtMs = nowMs;
        return bucket;
    }

    /** Takes tokens back out of an earlier bucket, if it is still held (else they have left the window already). */
    void takeBack(long bucket, long removeTokens) {
        int slot = slot(bucket);
        if (epochs[slot] == bucket) {
            tokens[slot] -= removeTokens;
        }
    }

    /**
     * How long until this relay's own counts leaving the window free {@code needRequests} requests and
     * {@code needTokens} tokens; -1 when they cannot (what is used is mostly other relays' counts).
     */
    long freesAfterMs(long nowMs, long needRequests, long needTokens) {
        long current = bucketOf(nowMs);
        long freedRequests = 0;
        long freedTokens = 0;
        for (long bucket = current - BUCKETS + 1; bucket <= current; bucket++) {
            int slot = slot(bucket);
            if (epochs[slot] == bucket) {
                freedRequests += requests[slot];
                freedTokens += tokens[slot];
            }
            if (freedRequests >= needRequests && freedTokens >= needTokens && (freedRequests > 0 || freedTokens > 0)) {
                return (bucket + BUCKETS) * BUCKET_MS - nowMs;
            }
        }
        return -1;
    }

    long touchedAtMs() {
        return touchedAtMs;
    }

    boolean retired() {
        return retired;
    }

    void retire() {
        retired = true;
    }

    private static boolean inWindow(long bucket, long current) {
        return bucket != Long.MIN_VALUE && bucket <= current && bucket > current - BUCKETS;
    }

    private static int slot(long bucket) {
        return (int) Math.floorMod(bucket, (long) BUCKETS);
    }

    /** Requests and tokens counted in a window. */
    record Counts(long requests, long tokens) {
        static final Counts NONE = new Counts(0, 0);

        Counts plus(Counts other) {
            return new Counts(requests + other.requests, tokens + other.tokens);
        }
    }
}
