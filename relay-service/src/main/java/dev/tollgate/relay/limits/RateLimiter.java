package dev.tollgate.relay.limits;

import dev.tollgate.contracts.events.RateCounts;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.snapshot.GroupEntry;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests and tokens per minute per key, per user and per group (the group's limit counts all its users together),
 * each scope only when it has a limit. Every relay counts locally in a one-minute sliding window ({@link RateWindow})
 * and admits against its own count plus the latest counts the other relays shared ({@link PeerCounts},
 * {@link RateShare}): a limit holds across relays, give or take what the others admitted since they last shared
 * (docs/accounting.md, "Rate limits").
 *
 * <p>Tokens: a request is admitted when the tokens in the window plus its estimate fit; the estimate is the prompt
 * only (the output is unknown until it is generated, and reserving {@code max_tokens} would refuse most requests of a
 * busy key), and {@link RateLimitGrant#settle} replaces it with the real input + output when the request ends.
 */
public class RateLimiter {

    static final String KEY = "key:";
    static final String USER = "user:";
    static final String GROUP = "group:";
    /** A window unused this long is dropped (it holds nothing by then). */
    private static final long IDLE_MS = RateWindow.WINDOW_MS + 2 * RateWindow.BUCKET_MS + 60_000;

    private final RelaySnapshot snapshot;
    private final PeerCounts peers;
    private final Clock clock;
    private final Map<String, RateWindow> windows = new ConcurrentHashMap<>();

    public RateLimiter(RelaySnapshot snapshot, PeerCounts peers, Clock clock) {
        this.snapshot = snapshot;
        this.peers = peers;
        this.clock = clock;
    }

    /**
     * Checks every limited scope of the principal and, when all have room, counts the request and its estimate.
     *
     * @param estimatedTokens the prompt's tokens (see the class comment)
     * @return the grant to settle when the request ends; {@link RateLimitGrant#NONE} when no scope is limited
     * @throws Rejection RATE_LIMITED (429) with {@code retry-after} and {@code x-ratelimit-*} headers
     */
    public RateLimitGrant acquire(Principal principal, long estimatedTokens) {
        List<Limit> limits = limitsOf(principal);
        if (limits.isEmpty()) {
            return RateLimitGrant.NONE;
        }
        long estimate = Math.max(0, estimatedTokens);
        while (true) {
            List<RateWindow> held = lockAll(limits);
            try {
                if (held != null) {
                    return admit(limits, held, estimate, clock.millis());
                }
            } finally {
                unlockAll(held, limits.size());
            }
            // A window was dropped between lookup and lock: fetch the scopes again.
        }
    }

    /**
     * This relay's window counts per scope with traffic, for sharing; drops windows idle for long (memory stays
     * bounded by the scopes active in the last minutes).
     */
    public List<RateCounts.Scope> windowCounts() {
        long now = clock.millis();
        List<RateCounts.Scope> out = new ArrayList<>();
        for (RateWindow window : windows.values()) {
            window.lock.lock();
            try {
                RateWindow.Counts counts = window.totals(now);
                if (counts.requests() > 0 || counts.tokens() > 0) {
                    out.add(new RateCounts.Scope(window.scope, counts.requests(), counts.tokens()));
                } else if (now - window.touchedAtMs() > IDLE_MS) {
                    window.retire();
                    windows.remove(window.scope, window);
                }
            } finally {
                window.lock.unlock();
            }
        }
        return out;
    }

    /** The scopes of the principal that have a limit, in the one order their locks are taken: key, user, group. */
    List<Limit> limitsOf(Principal principal) {
        List<Limit> limits = new ArrayList<>(3);
        add(limits, KEY + principal.keyId(), principal.key().rpmLimit(), principal.key().tpmLimit());
        add(limits, USER + principal.userId(), principal.user().rpmLimit(), principal.user().tpmLimit());
        Optional<GroupEntry> group = snapshot.group(principal.group());
        group.ifPresent(g -> add(limits, GROUP + g.name(), g.rpmLimit(), g.tpmLimit()));
        return limits;
    }

    private static void add(List<Limit> limits, String scope, Integer rpm, Long tpm) {
        if (rpm != null || tpm != null) {
            limits.add(new Limit(scope, rpm, tpm));
        }
    }

    /** Locks every scope's window in order; null (all unlocked again) when one was retired meanwhile. */
    private List<RateWindow> lockAll(List<Limit> limits) {
        List<RateWindow> held = new ArrayList<>(limits.size());
        for (Limit limit : limits) {
            RateWindow window = windows.computeIfAbsent(limit.scope(), RateWindow::new);
            window.lock.lock();
            held.add(window);
            if (window.retired()) {
                unlockAll(held, held.size());
                return null;
            }
        }
        return held;
    }

    private static void unlockAll(List<RateWindow> held, int count) {
        if (held == null) {
            return;
        }
        for (int i = Math.min(count, held.size()) - 1; i >= 0; i--) {
            RateWindow window = held.get(i);
            if (window.lock.isHeldByCurrentThread()) {
                window.lock.unlock();
            }
        }
    }

    private RateLimitGrant admit(List<Limit> limits, List<RateWindow> held, long estimate, long now) {
        List<Usage> usages = new ArrayList<>(limits.size());
        Usage refused = null;
        boolean refusedOnRequests = false;
        for (int i = 0; i < limits.size(); i++) {
            Limit limit = limits.get(i);
            RateWindow window = held.get(i);
            Usage usage = new Usage(limit, window, window.totals(now).plus(peers.totals(limit.scope(), now)));
            usages.add(usage);
            if (refused == null && limit.rpm() != null && usage.used().requests() + 1 > limit.rpm()) {
                refused = usage;
                refusedOnRequests = true;
            } else if (refused == null && limit.tpm() != null && usage.used().tokens() + estimate > limit.tpm()) {
                refused = usage;
            }
        }
        if (refused != null) {
            throw rejection(refused, refusedOnRequests, usages, estimate, now);
        }
        long[] buckets = new long[held.size()];
        for (int i = 0; i < held.size(); i++) {
            buckets[i] = held.get(i).add(now, 1, estimate);
        }
        return new RateLimitGrant(this, List.copyOf(held), buckets, estimate,
                RateLimitHeaders.of(usages, 1, estimate, now));
    }

    private static Rejection rejection(Usage refused, boolean onRequests, List<Usage> usages, long estimate,
            long now) {
        Limit limit = refused.limit();
        long retryMs;
        String message;
        if (onRequests) {
            long need = refused.used().requests() + 1 - limit.rpm();
            retryMs = refused.window().freesAfterMs(now, need, 0);
            message = "Rate limit reached for " + limit.describe() + " on requests per min (RPM): Limit "
                    + limit.rpm() + ", Used " + refused.used().requests() + ", Requested 1.";
        } else {
            long need = refused.used().tokens() + estimate - limit.tpm();
            retryMs = estimate > limit.tpm() ? -1 : refused.window().freesAfterMs(now, 0, need);
            message = "Rate limit reached for " + limit.describe() + " on tokens per min (TPM): Limit " + limit.tpm()
                    + ", Used " + refused.used().tokens() + ", Requested " + estimate + ".";
        }
        // Other relays' counts leave the window within a minute too, but when is not shared: a minute at most.
        long wait = retryMs < 0 ? RateWindow.WINDOW_MS : retryMs;
        long seconds = Math.max(1, (wait + 999) / 1000);
        return new Rejection(Rejection.Kind.RATE_LIMITED, message + " Please try again in " + seconds + "s.", null)
                .withRetryAfter(Long.toString(seconds))
                .withHeaders(RateLimitHeaders.of(usages, 0, 0, now));
    }

    /** Settles a grant: the estimate leaves the bucket it went into, the real tokens count from now. */
    void settle(List<RateWindow> held, long[] buckets, long estimate, long actualTokens) {
        long now = clock.millis();
        for (int i = 0; i < held.size(); i++) {
            RateWindow window = held.get(i);
            window.lock.lock();
            try {
                window.takeBack(buckets[i], estimate);
                window.add(now, 0, Math.max(0, actualTokens));
            } finally {
                window.lock.unlock();
            }
        }
    }

    /** A limited scope: {@code rpm}/{@code tpm} null where that dimension has no limit. */
    record Limit(String scope, Integer rpm, Long tpm) {
        String describe() {
            if (scope.startsWith(KEY)) {
                return "this API key";
            }
            if (scope.startsWith(USER)) {
                return "your account";
            }
            return "your group " + scope.substring(GROUP.length());
        }
    }

    /** What a scope has used in the window: this relay's count plus the others'. */
    record Usage(Limit limit, RateWindow window, RateWindow.Counts used) {
    }

    /** OpenAI's {@code x-ratelimit-*} headers, for the scope with the least room in each dimension. */
    static final class RateLimitHeaders {

        private RateLimitHeaders() {
        }

        /** @param addRequests/addTokens what this request adds (0 when it is refused) */
        static Map<String, String> of(List<Usage> usages, long addRequests, long addTokens, long now) {
            Map<String, String> headers = new LinkedHashMap<>();
            Usage requests = tightest(usages, true, addRequests);
            if (requests != null) {
                long remaining = requests.limit().rpm() - requests.used().requests() - addRequests;
                headers.put("x-ratelimit-limit-requests", Long.toString(requests.limit().rpm()));
                headers.put("x-ratelimit-remaining-requests", Long.toString(Math.max(0, remaining)));
                headers.put("x-ratelimit-reset-requests",
                        duration(requests.window().freesAfterMs(now, 1, 0)));
            }
            Usage tokens = tightest(usages, false, addTokens);
            if (tokens != null) {
                long remaining = tokens.limit().tpm() - tokens.used().tokens() - addTokens;
                headers.put("x-ratelimit-limit-tokens", Long.toString(tokens.limit().tpm()));
                headers.put("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, remaining)));
                headers.put("x-ratelimit-reset-tokens", duration(tokens.window().freesAfterMs(now, 0, 1)));
            }
            return headers;
        }

        private static Usage tightest(List<Usage> usages, boolean requests, long add) {
            Usage best = null;
            long bestRemaining = Long.MAX_VALUE;
            for (Usage usage : usages) {
                // Not a ternary: Integer and Long in one would be unboxed, and a null limit would throw.
                Number limit = usage.limit().tpm();
                if (requests) {
                    limit = usage.limit().rpm();
                }
                if (limit == null) {
                    continue;
                }
                long used = requests ? usage.used().requests() : usage.used().tokens();
                long remaining = limit.longValue() - used - add;
                if (remaining < bestRemaining) {
                    best = usage;
                    bestRemaining = remaining;
                }
            }
            return best;
        }

        /** OpenAI's reset format: {@code 850ms}, {@code 12s}, {@code 1m0s}; unknown (only others' counts) is a minute. */
        static String duration(long ms) {
            if (ms < 0) {
                ms = RateWindow.WINDOW_MS;
            }
            if (ms < 1000) {
                return ms + "ms";
            }
            long seconds = (ms + 999) / 1000;
            return seconds < 60 ? seconds + "s" : (seconds / 60) + "m" + (seconds % 60) + "s";
        }
    }
}
