package dev.tollgate.relay.metering;

import dev.tollgate.contracts.events.Attempt;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.admission.CostEstimator;
import dev.tollgate.relay.admission.PendingCharges;
import java.time.Instant;
import java.util.List;

/**
 * Ends a request: its one usage event with the upstream's token counts, or counted locally when the upstream
 * reported none (client gone, stream cut), and the captured bodies of a key that captures them (cut to the cap
 * here), then numbered and published off the request's thread.
 */
public class UsageRecorder {

    private final String relayId;
    private final UsagePublisher publisher;
    private final PendingCharges pending;
    private final RelayMetrics metrics;

    public UsageRecorder(String relayId, UsagePublisher publisher, PendingCharges pending) {
        this(relayId, publisher, pending, RelayMetrics.none());
    }

    public UsageRecorder(String relayId, UsagePublisher publisher, PendingCharges pending, RelayMetrics metrics) {
        this.relayId = relayId;
        this.publisher = publisher;
        this.pending = pending;
        this.metrics = metrics;
    }

    /** A request began; {@link #finish} ends it. */
    public void started() {
        metrics.requestStarted();
    }

    /** The request's answer is a stream, now sent; {@link #finish} closes it. */
    public void streamOpened(RequestMeter meter) {
        meter.streaming();
        metrics.streamOpened();
    }

    /**
     * Called from every end of the request (completion, error, cancel); acts once. A request that never got
     * past authentication has no user and no event.
     */
    public void finish(RequestMeter meter, boolean cancelled) {
        if (!meter.markFinished()) {
            return;
        }
        metrics.requestEnded();
        if (meter.bodyStreaming()) {
            metrics.streamClosed();
        }
        RequestMeter.Snapshot facts = meter.snapshot(cancelled);
        if (!facts.identified()) {
            if (facts.reservation() != null) {
                pending.release(facts.reservation());
            }
            return;
        }
        publisher.publishLater(() -> toFinished(facts), facts.reservation());
    }

    UsagePublisher.Finished toFinished(RequestMeter.Snapshot facts) {
        boolean estimated = facts.reported() == null && facts.upstreamServed() || facts.reportedIsBound()
                || outputUnderReported(facts);
        // A request the upstream served (wholly, or until the client left or the stream broke) is one billable one.
        boolean served = facts.reported() != null || facts.upstreamServed();
        TokenUsage usage = servedTokens(facts);
        // Cohere bills a rerank by search units: more than one billable request when its answer says so.
        TokenUsage tokens = usage.withRequests(served ? Math.max(1, usage.requests()) : 0);
        if (facts.rateGrant() != null) {
            // The rate window counted the prompt estimate; it now holds what was served (off the request's thread).
            facts.rateGrant().settle(tokens.inputTokens() + tokens.cacheReadTokens() + tokens.cacheWriteTokens()
                    + tokens.outputTokens());
        }
        long cost = CostEstimator.cost(tokens, facts.price(), facts.multiplierBp());
        Instant finishedAt = Instant.now();
        UsageEvent.Builder event = UsageEvent.builder()
                .requestId(facts.requestId())
                .relayId(relayId)
                .keyId(facts.keyId())
                .userId(facts.userId())
                .group(facts.group())
                .channelId(facts.channelId())
                .modelAsked(facts.modelAsked())
                .modelServed(facts.modelServed())
                .dialect(facts.dialect())
                .provider(facts.provider())
                .priceVersion(facts.price() == null ? 0 : facts.price().version())
                .priceModel(facts.priceModel())
                .tokens(tokens)
                .estimated(estimated)
                .status(facts.status())
                .httpStatus(facts.httpStatus())
                .errorClass(facts.status() == UsageStatus.SUCCESS ? null : facts.errorClass())
                .attempts(attempts(facts))
                .latencyMs(facts.latencyMs())
                .ttftMs(facts.ttftMs())
                .startedAt(facts.startedAt())
                .finishedAt(finishedAt)
                .capture(facts.capture() == null ? null : facts.capture().toCapture());
        return new UsagePublisher.Finished(event.build(), facts.reservation(), cost, facts.traceparent());
    }

    /**
     * Only what the upstream served is charged: its own report, else — when it began a successful answer — the
     * prompt and the text generated so far, counted here. An upstream that never answered (unreachable, timed
     * out, an error status, or the client left first) served nothing.
     */
    static TokenUsage servedTokens(RequestMeter.Snapshot facts) {
        if (outputUnderReported(facts)) {
            // A stream cut after a partial report (Anthropic sends input first, output at the end): the report's
            // input classes, and the output generated so far counted here.
            TokenUsage r = facts.reported();
            return new TokenUsage(r.inputTokens(), r.cacheReadTokens(), r.cacheWriteTokens(),
                    TokenCounter.count(facts.text()), r.reasoningTokens(), r.requests(), r.images(), r.audioSeconds());
        }
        if (facts.reported() != null) {
            return facts.reported();
        }
        if (facts.upstreamServed()) {
            return TokenUsage.ofTokens(facts.promptTokens(), TokenCounter.count(facts.text()));
        }
        return TokenUsage.NONE;
    }

    /** A stream that did not complete, whose last usage report counts less output than the text it carried. */
    static boolean outputUnderReported(RequestMeter.Snapshot facts) {
        if (facts.reported() == null || facts.streamCompleted() || !facts.upstreamServed() || facts.text().isEmpty()) {
            return false;
        }
        return TokenCounter.count(facts.text()) > facts.reported().outputTokens();
    }

    private static List<Attempt> attempts(RequestMeter.Snapshot facts) {
        if (!facts.attempts().isEmpty()) {
            return facts.attempts();
        }
        if (facts.channelId() == null || !facts.upstreamCalled()) {
            return List.of();
        }
        return List.of(new Attempt(facts.channelId(), facts.status().wireName(), facts.upstreamMs()));
    }
}
