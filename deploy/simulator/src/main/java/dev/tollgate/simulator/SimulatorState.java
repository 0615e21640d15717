package dev.tollgate.simulator;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The behaviour and counters shared by every provider handler of one {@link Simulator}.
 * Public only so that the provider packages ({@code openai/}, {@code anthropic/}, {@code bedrock/}) can reach it.
 */
public final class SimulatorState {

    private final AtomicReference<SimulatorConfig> config = new AtomicReference<>(SimulatorConfig.defaults());
    // Failures injected under the current config; compared with failTimes, restarted by each config change.
    private final AtomicLong configFailures = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile String lastRequestBody;
    private volatile String lastAuthorization;
    private final RequestLog requestLog = new RequestLog();

    public SimulatorConfig config() {
        return config.get();
    }

    void config(SimulatorConfig newConfig) {
        config.set(Objects.requireNonNull(newConfig, "config"));
        configFailures.set(0);
    }

    void reset() {
        config(SimulatorConfig.defaults());
        requests.set(0);
        completed.set(0);
        cancelled.set(0);
        failed.set(0);
        lastRequestBody = null;
        lastAuthorization = null;
        requestLog.clear();
        // inFlight is left alone: open requests still end later and would drive it negative.
    }

    public SimulatorStats stats() {
        return new SimulatorStats(requests.get(), completed.get(), cancelled.get(), failed.get(),
                lastRequestBody, lastAuthorization, inFlight.get());
    }

    /** Keeps a provider request (any path but the control endpoints) for {@link #requests()}. */
    public void record(HttpServerRequest request, String body) {
        requestLog.add(RequestLog.of(request, body));
    }

    /** The last recorded requests, newest last. */
    public List<RecordedRequest> requests() {
        return requestLog.all();
    }

    /** The newest recorded request, or null. */
    public RecordedRequest lastRequest() {
        return requestLog.last();
    }

    /** Records an arriving chat request; the returned call must be ended exactly once (extra ends are ignored). */
    public Call begin(String body, String authorization) {
        requests.incrementAndGet();
        inFlight.incrementAndGet();
        lastRequestBody = body;
        lastAuthorization = authorization;
        return new Call();
    }

    /**
     * The status this request must fail with, or null. A per-request header value (e.g. {@code x-sim-fail: 503})
     * wins over the config and does not use up {@code failTimes}.
     */
    public Integer injectedFailure(String headerValue, SimulatorConfig current) {
        Integer fromHeader = parseStatus(headerValue);
        if (fromHeader != null) {
            return fromHeader;
        }
        if (current.failStatus() == null) {
            return null;
        }
        Integer times = current.failTimes();
        if (times == null || times == 0) {
            return current.failStatus();
        }
        return configFailures.incrementAndGet() <= times ? current.failStatus() : null;
    }

    private static Integer parseStatus(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int status = Integer.parseInt(value.trim());
            return status >= 100 && status <= 599 ? status : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One chat request's outcome; the first ending wins so a late connection close cannot count twice. */
    public final class Call {

        private final AtomicBoolean ended = new AtomicBoolean();

        private Call() {
        }

        public void completed() {
            end(completed);
        }

        public void cancelled() {
            end(cancelled);
        }

        public void failed() {
            end(failed);
        }

        /** Ends without counting an outcome, e.g. a malformed request answered with 400. */
        public void rejected() {
            end(null);
        }

        public boolean isEnded() {
            return ended.get();
        }

        private void end(AtomicLong counter) {
            if (ended.compareAndSet(false, true)) {
                if (counter != null) {
                    counter.incrementAndGet();
                }
                inFlight.decrementAndGet();
            }
        }
    }
}
