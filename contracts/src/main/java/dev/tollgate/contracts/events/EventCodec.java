package dev.tollgate.contracts.events;

import dev.tollgate.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bytes ⇄ events for our three topics. Reading checks the envelope's {@code v} and {@code type}
 * and ignores unknown fields; anything it cannot read is an {@link UnreadableEventException}.
 */
public final class EventCodec {

    private static final JsonMapper MAPPER = Json.mapper();

    private EventCodec() {
    }

    public static byte[] encode(UsageEvent event) {
        return MAPPER.writeValueAsBytes(event);
    }

    public static byte[] encode(CommandEnvelope envelope) {
        return MAPPER.writeValueAsBytes(envelope);
    }

    public static byte[] encode(ChangeEnvelope envelope) {
        return MAPPER.writeValueAsBytes(envelope);
    }

    public static String encodeToString(ChangeEnvelope envelope) {
        return new String(encode(envelope), StandardCharsets.UTF_8);
    }

    public static UsageEvent decodeUsage(byte[] bytes) {
        JsonNode tree = readEnvelope(bytes);
        String type = tree.path("type").asString("");
        if (!UsageEvent.TYPE.equals(type)) {
            throw new UnreadableEventException("not a usage event: type '" + type + "'");
        }
        UsageEvent event = convert(tree, UsageEvent.class);
        if (event.requestId() == null || event.requestId().isBlank()) {
            throw new UnreadableEventException("usage event without requestId");
        }
        return event;
    }

    public static CommandEnvelope decodeCommand(byte[] bytes) {
        ObjectNode tree = readEnvelope(bytes);
        String type = tree.path("type").asString("");
        Class<? extends Command> payloadClass = CommandTypes.classOf(type);
        if (payloadClass == null) {
            throw new UnreadableEventException("unknown command type '" + type + "'");
        }
        Command payload = convert(tree.path("payload"), payloadClass);
        return new CommandEnvelope(tree.path("v").asInt(), type, tree.path("id").asString(null),
                convert(tree.path("at"), java.time.Instant.class), tree.path("actor").asString(null),
                tree.path("fingerprint").asString(null), payload);
    }

    public static ChangeEnvelope decodeChange(byte[] bytes) {
        ObjectNode tree = readEnvelope(bytes);
        String type = tree.path("type").asString("");
        Class<? extends Change> payloadClass = ChangeTypes.classOf(type);
        if (payloadClass == null) {
            throw new UnreadableEventException("unknown change type '" + type + "'");
        }
        Change payload = convert(tree.path("payload"), payloadClass);
        return new ChangeEnvelope(tree.path("v").asInt(), type, tree.path("id").asString(null),
                convert(tree.path("at"), java.time.Instant.class), payload);
    }

    private static ObjectNode readEnvelope(byte[] bytes) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new UnreadableEventException("malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new UnreadableEventException("not a JSON object");
        }
        int v = object.path("v").asInt(-1);
        if (v != Envelopes.VERSION) {
            throw new UnreadableEventException("unsupported schema version v=" + object.path("v"));
        }
        return object;
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JacksonException e) {
            throw new UnreadableEventException("cannot read " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
