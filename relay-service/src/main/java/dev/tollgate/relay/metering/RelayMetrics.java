package dev.tollgate.relay.metering;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The relay's request metrics, derived in one place from each finished request's usage event, on the publisher's
 * thread (never the request's). Labels are bounded: the channel id, and the model asked only when some channel
 * names it exactly ({@link #OTHER_MODEL} otherwise), so customer input never becomes a label of its own.
 */
public class RelayMetrics {

    public static final String REQUESTS = "tollgate.relay.requests";
    public static final String LATENCY = "tollgate.relay.request.latency";
    public static final String TTFT = "tollgate.relay.ttft";
    public static final String TOKENS = "tollgate.relay.tokens";
    public static final String SPEND = "tollgate.relay.spend";
    public static final String IN_FLIGHT = "tollgate.relay.requests.inflight";
    public static final String OPEN_STREAMS = "tollgate.relay.streams.open";
    public static final String OTHER_MODEL = "other";
    public static final String NO_CHANNEL = "none";

    private static final UsageStatus[] OUTCOMES = UsageStatus.values();
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final Duration MAX_EXPECTED = Duration.ofMinutes(5);

    private final MeterRegistry registry;
    private final Predicate<String> knownModel;
    /** The meters of one (channel, model) are looked up once, then reused: no builder per request. */
    private final Map<String, Series> series = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger openStreams = new AtomicInteger();

    public RelayMetrics(MeterRegistry registry, Predicate<String> knownModel) {
        this.registry = registry;
        this.knownModel = knownModel;
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("Chat requests being handled")
                .register(registry);
        Gauge.builder(OPEN_STREAMS, openStreams, AtomicInteger::get)
                .description("Streamed answers being sent")
                .register(registry);
    }

    /** For tests and wiring without a registry: counts into a registry no one reads. */
    public static RelayMetrics none() {
        return new RelayMetrics(new SimpleMeterRegistry(), model -> false);
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestEnded() {
        inFlight.decrementAndGet();
    }

    public void streamOpened() {
        openStreams.incrementAndGet();
    }

    public void streamClosed() {
        openStreams.decrementAndGet();
    }

    /** One finished request: its status, timings, tokens and cost under its channel and model. */
    public void record(UsageEvent event, long costMicros) {
        String channel = event.channelId() == null ? NO_CHANNEL : Long.toString(event.channelId());
        String model = modelLabel(event.modelAsked());
        Series s = series.computeIfAbsent(channel + '\u0000' + model, key -> new Series(registry, channel, model));
        s.requests(event.status(), statusClass(event.httpStatus())).increment();
        s.latency.record(event.latencyMs(), TimeUnit.MILLISECONDS);
        if (event.ttftMs() != null) {
            s.ttft.record(event.ttftMs(), TimeUnit.MILLISECONDS);
        }
        long in = event.inputTokens() + event.cacheReadTokens() + event.cacheWriteTokens();
        if (in > 0) {
            s.tokensIn.increment(in);
        }
        if (event.outputTokens() > 0) {
            s.tokensOut.increment(event.outputTokens());
        }
        if (costMicros > 0) {
            s.spend.increment(costMicros);
        }
    }

    String modelLabel(String asked) {
        return asked != null && knownModel.test(asked) ? asked : OTHER_MODEL;
    }

    private static int statusClass(int httpStatus) {
        int c = httpStatus / 100 - 1;
        return c < 0 || c >= STATUS_CLASSES.length ? 4 : c;
    }

    /** The meters of one (channel, model). */
    private static final class Series {
        private final Counter[] requests = new Counter[OUTCOMES.length * STATUS_CLASSES.length];
        final Timer latency;
        final Timer ttft;
        final Counter tokensIn;
        final Counter tokensOut;
        final Counter spend;

        private final MeterRegistry registry;
        private final String channel;
        private final String model;

        Series(MeterRegistry registry, String channel, String model) {
            this.registry = registry;
            this.channel = channel;
            this.model = model;
            latency = Timer.builder(LATENCY)
                    .description("Time from a request's arrival to its last byte")
                    .tags("channel", channel, "model", model)
                    .publishPercentileHistogram()
                    .maximumExpectedValue(MAX_EXPECTED)
                    .register(registry);
            ttft = Timer.builder(TTFT)
                    .description("Time from a request's arrival to its first generated token")
                    .tags("channel", channel, "model", model)
                    .publishPercentileHistogram()
                    .maximumExpectedValue(MAX_EXPECTED)
                    .register(registry);
            tokensIn = tokens(registry, channel, model, "in");
            tokensOut = tokens(registry, channel, model, "out");
            spend = Counter.builder(SPEND)
                    .description("Estimated cost of finished requests, in micro-dollars")
                    .baseUnit("micros")
                    .tags("channel", channel, "model", model)
                    .register(registry);
        }

        /** Registered on first use, so an outcome never seen adds no series; a race registers the same counter. */
        Counter requests(UsageStatus outcome, int statusClass) {
            int i = outcome.ordinal() * STATUS_CLASSES.length + statusClass;
            Counter counter = requests[i];
            if (counter == null) {
                counter = Counter.builder(REQUESTS)
                        .description("Finished chat requests")
                        .tags("channel", channel, "model", model, "outcome", outcome.wireName(),
                                "status", STATUS_CLASSES[statusClass])
                        .register(registry);
                requests[i] = counter;
            }
            return counter;
        }

        private static Counter tokens(MeterRegistry registry, String channel, String model, String direction) {
            return Counter.builder(TOKENS)
                    .description("Tokens served (in: uncached, cache-read and cache-write input; out: output)")
                    .tags("channel", channel, "model", model, "direction", direction)
                    .register(registry);
        }
    }
}
