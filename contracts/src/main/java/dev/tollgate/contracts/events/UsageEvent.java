package dev.tollgate.contracts.events;

import dev.tollgate.contracts.money.TokenUsage;
import java.time.Instant;
import java.util.List;

/**
 * One finished request, published by a relay on {@code tollgate.usage.v1} keyed by user id.
 * Token classes are disjoint (see {@link TokenUsage}). {@code relaySeq} grows per relay in
 * publish order, so the ledger can tell a relay which of its events a balance includes.
 * {@code priceModel} names the model whose price applies when it is not {@code modelAsked} (a channel that bills
 * the upstream's name); null otherwise, and in events from relays that predate it. {@code capture} holds the
 * request and response bodies when the key captures them (an opt-in per key, each body capped); null otherwise, and
 * in events from relays that predate it.
 */
public record UsageEvent(
        int v,
        String type,
        String id,
        Instant at,
        String requestId,
        String relayId,
        long relaySeq,
        long keyId,
        long userId,
        String group,
        Long channelId,
        String modelAsked,
        String modelServed,
        String dialect,
        String provider,
        long priceVersion,
        long inputTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        long outputTokens,
        long reasoningTokens,
        long requests,
        long images,
        long audioSeconds,
        boolean estimated,
        UsageStatus status,
        int httpStatus,
        String errorClass,
        List<Attempt> attempts,
        long latencyMs,
        Long ttftMs,
        Instant startedAt,
        Instant finishedAt,
        String priceModel,
        Capture capture) {

    public static final String TYPE = "usage";

    public UsageEvent {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    public TokenUsage tokens() {
        return new TokenUsage(inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens,
                requests, images, audioSeconds);
    }

    /** The model whose price (at {@code priceVersion}) this request is charged by. */
    public String pricedModel() {
        return priceModel != null ? priceModel : modelAsked;
    }

    /** A copy with another relay sequence number: the number is given when the event is published. */
    public UsageEvent withRelaySeq(long seq) {
        return new UsageEvent(v, type, id, at, requestId, relayId, seq, keyId, userId, group, channelId,
                modelAsked, modelServed, dialect, provider, priceVersion, inputTokens, cacheReadTokens,
                cacheWriteTokens, outputTokens, reasoningTokens, requests, images, audioSeconds, estimated,
                status, httpStatus, errorClass, attempts, latencyMs, ttftMs, startedAt, finishedAt, priceModel,
                capture);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects a request's facts as they become known on the relay's path. */
    public static final class Builder {
        private String requestId;
        private String relayId;
        private long relaySeq;
        private long keyId;
        private long userId;
        private String group;
        private Long channelId;
        private String modelAsked;
        private String modelServed;
        private String dialect;
        private String provider;
        private long priceVersion;
        private String priceModel;
        private TokenUsage tokens = TokenUsage.NONE;
        private boolean estimated;
        private UsageStatus status = UsageStatus.SUCCESS;
        private int httpStatus = 200;
        private String errorClass;
        private List<Attempt> attempts = List.of();
        private long latencyMs;
        private Long ttftMs;
        private Instant startedAt;
        private Instant finishedAt;
        private Capture capture;

        public Builder requestId(String v) { this.requestId = v; return this; }
        public Builder relayId(String v) { this.relayId = v; return this; }
        public Builder relaySeq(long v) { this.relaySeq = v; return this; }
        public Builder keyId(long v) { this.keyId = v; return this; }
        public Builder userId(long v) { this.userId = v; return this; }
        public Builder group(String v) { this.group = v; return this; }
        public Builder channelId(Long v) { this.channelId = v; return this; }
        public Builder modelAsked(String v) { this.modelAsked = v; return this; }
        public Builder modelServed(String v) { this.modelServed = v; return this; }
        public Builder dialect(String v) { this.dialect = v; return this; }
        public Builder provider(String v) { this.provider = v; return this; }
        public Builder priceVersion(long v) { this.priceVersion = v; return this; }
        public Builder priceModel(String v) { this.priceModel = v; return this; }
        public Builder tokens(TokenUsage v) { this.tokens = v; return this; }
        public Builder estimated(boolean v) { this.estimated = v; return this; }
        public Builder status(UsageStatus v) { this.status = v; return this; }
        public Builder httpStatus(int v) { this.httpStatus = v; return this; }
        public Builder errorClass(String v) { this.errorClass = v; return this; }
        public Builder attempts(List<Attempt> v) { this.attempts = v; return this; }
        public Builder latencyMs(long v) { this.latencyMs = v; return this; }
        public Builder ttftMs(Long v) { this.ttftMs = v; return this; }
        public Builder startedAt(Instant v) { this.startedAt = v; return this; }
        public Builder finishedAt(Instant v) { this.finishedAt = v; return this; }
        public Builder capture(Capture v) { this.capture = v; return this; }

        public UsageEvent build() {
            Instant at = finishedAt != null ? finishedAt : Instant.now();
            return new UsageEvent(Envelopes.VERSION, TYPE, requestId, at, requestId, relayId, relaySeq, keyId,
                    userId, group, channelId, modelAsked, modelServed, dialect, provider, priceVersion,
                    tokens.inputTokens(), tokens.cacheReadTokens(), tokens.cacheWriteTokens(),
                    tokens.outputTokens(), tokens.reasoningTokens(), tokens.requests(), tokens.images(),
                    tokens.audioSeconds(), estimated, status, httpStatus, errorClass, attempts, latencyMs,
                    ttftMs, startedAt != null ? startedAt : at, at, priceModel, capture);
        }
    }
}
