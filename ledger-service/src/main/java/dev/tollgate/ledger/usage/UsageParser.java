package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UnreadableEventException;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Bytes of the usage topic → {@link ParsedUsage}; never throws. */
final class UsageParser {

    private UsageParser() {
    }

    static ParsedUsage parse(byte[] bytes) {
        return parse(bytes, Instant.now());
    }

    /** {@code now} bounds how far in the future an event's times may be. */
    static ParsedUsage parse(byte[] bytes, Instant now) {
        byte[] value = bytes == null ? new byte[0] : bytes;
        String raw = new String(value, StandardCharsets.UTF_8);
        UsageEvent event;
        try {
            event = EventCodec.decodeUsage(value);
        } catch (UnreadableEventException e) {
            return new ParsedUsage.Rejected(e.getMessage(), bestEffortRequestId(value), raw);
        } catch (RuntimeException e) {
            return new ParsedUsage.Rejected("unreadable: " + e, bestEffortRequestId(value), raw);
        }
        Optional<String> problem = UsageValidator.problem(event, now);
        if (problem.isPresent()) {
            return new ParsedUsage.Rejected(problem.get(), event.requestId(), raw);
        }
        return new ParsedUsage.Accepted(event, UsageKey.of(event), raw);
    }

    /** The DLQ key: the request id when the bytes are JSON that names one. */
    private static String bestEffortRequestId(byte[] value) {
        try {
            JsonNode tree = Json.mapper().readTree(value);
            String id = tree == null ? null : tree.path("requestId").asString(null);
            return id == null || id.isBlank() ? null : id;
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }
}
