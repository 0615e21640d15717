package dev.tollgate.contracts.events;

import dev.tollgate.contracts.json.Json;
import java.time.Instant;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One relay's rate-limit counts at one tick, on {@code tollgate.ratelimits.v1} keyed by relay id: for each scope
 * with traffic in its window, the requests and tokens this relay counted in the last minute. Every relay reads
 * every other's latest counts and admits against its own count plus theirs. A relay with many active scopes sends
 * one tick in several {@code part}s (same {@code tick}); the counts of a tick replace those of the ticks before.
 * Ephemeral: nothing is replayed from it, and a reader drops a relay it has not heard from for a few seconds.
 *
 * @param relayId  the sender
 * @param tick     grows by one per publication of the sender (its parts share it)
 * @param part     0-based index of this record in the tick
 * @param parts    how many records make the tick
 * @param windowMs the length of the window the counts cover
 * @param scopes   per scope (e.g. {@code key:7}, {@code user:3}, {@code group:vip}) the counts in the window
 */
public record RateCounts(int v, String relayId, long tick, int part, int parts, Instant at, long windowMs,
        List<Scope> scopes) {

    public RateCounts {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** The counts of one scope. */
    public record Scope(String scope, long requests, long tokens) {
    }

    public static RateCounts of(String relayId, long tick, int part, int parts, Instant at, long windowMs,
            List<Scope> scopes) {
        return new RateCounts(Envelopes.VERSION, relayId, tick, part, parts, at, windowMs, scopes);
    }

    // Kept beside the record rather than in EventCodec: this topic is the relays' alone (no DLQ, no ledger).
    public byte[] encode() {
        return Json.mapper().writeValueAsBytes(this);
    }

    /** @throws UnreadableEventException when the bytes are not counts of this schema version */
    public static RateCounts decode(byte[] bytes) {
        try {
            JsonNode tree = Json.mapper().readTree(bytes);
            if (tree == null || !tree.isObject() || tree.path("v").asInt(-1) != Envelopes.VERSION) {
                throw new UnreadableEventException("not rate counts of version " + Envelopes.VERSION);
            }
            RateCounts counts = Json.mapper().treeToValue(tree, RateCounts.class);
            if (counts.relayId() == null || counts.relayId().isBlank()) {
                throw new UnreadableEventException("rate counts without relayId");
            }
            return counts;
        } catch (JacksonException e) {
            throw new UnreadableEventException("malformed rate counts: " + e.getOriginalMessage(), e);
        }
    }
}
