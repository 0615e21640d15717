package dev.tollgate.relay.provider.bedrock;

import dev.tollgate.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.utils.builder.Buildable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * SDK model objects ↔ Bedrock's Converse JSON, walking the SDK's own field descriptions (member names as on the
 * wire), so golden files show the JSON a request becomes and recorded answers can be read into SDK objects.
 * {@code modelId} (a path parameter on the wire) appears as a field.
 */
final class ConverseJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConverseJson() {
    }

    static JsonNode write(SdkPojo pojo) {
        ObjectNode object = NODES.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            JsonNode value = writeValue(field.getValueOrDefault(pojo));
            if (value != null) {
                object.set(field.locationName(), value);
            }
        }
        return object;
    }

    private static JsonNode writeValue(Object value) {
        if (value == null || value instanceof SdkAutoConstructList<?> || value instanceof SdkAutoConstructMap<?, ?>) {
            return null;
        }
        if (value instanceof SdkPojo pojo) {
            return write(pojo);
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(element -> array.add(writeValue(element)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, element) -> object.set(key.toString(), writeValue(element)));
            return object;
        }
        if (value instanceof Document document) {
            return BedrockDocuments.toJson(document);
        }
        if (value instanceof SdkBytes bytes) {
            return NODES.stringNode(Base64.getEncoder().encodeToString(bytes.asByteArray()));
        }
        if (value instanceof String text) {
            return NODES.stringNode(text);
        }
        if (value instanceof Boolean flag) {
            return NODES.booleanNode(flag);
        }
        if (value instanceof Integer || value instanceof Long) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Float || value instanceof Double) {
            return NODES.numberNode(new BigDecimal(value.toString()));
        }
        if (value instanceof Instant instant) {
            return NODES.numberNode(instant.getEpochSecond());
        }
        throw new IllegalArgumentException("no JSON for " + value.getClass());
    }

    /** Fills an SDK builder from Converse JSON and builds it. */
    @SuppressWarnings("unchecked")
    static <T> T read(JsonNode json, SdkPojo builder) {
        for (SdkField<?> field : builder.sdkFields()) {
            JsonNode value = json.get(field.locationName());
            if (value != null && !value.isNull()) {
                field.set(builder, readValue(field, value));
            }
        }
        return (T) ((Buildable) builder).build();
    }

    static <T> T read(String json, SdkPojo builder) {
        return read(tree(json), builder);
    }

    /** JSON text as a tree whose numbers keep their digits (1.10 stays 1.10), as the SDK's own reader does. */
    static JsonNode tree(String json) {
        return BedrockDocuments.toJson(BedrockDocuments.fromJsonText(json));
    }

    private static Object readValue(SdkField<?> field, JsonNode value) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            return read(value, field.constructor().get());
        }
        if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
            List<Object> list = new ArrayList<>();
            value.forEach(element -> list.add(readValue(member, element)));
            return list;
        }
        if (type == MarshallingType.MAP) {
            SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> map = new LinkedHashMap<>();
            value.properties().forEach(entry -> map.put(entry.getKey(), readValue(member, entry.getValue())));
            return map;
        }
        if (type == MarshallingType.DOCUMENT) {
            return BedrockDocuments.fromJson(value);
        }
        if (type == MarshallingType.SDK_BYTES) {
            return SdkBytes.fromByteArray(Base64.getDecoder().decode(value.asString()));
        }
        if (type == MarshallingType.INTEGER) {
            return value.intValue();
        }
        if (type == MarshallingType.LONG) {
            return value.longValue();
        }
        if (type == MarshallingType.FLOAT) {
            return value.floatValue();
        }
        if (type == MarshallingType.DOUBLE) {
            return value.doubleValue();
        }
        if (type == MarshallingType.BOOLEAN) {
            return value.booleanValue();
        }
        if (type == MarshallingType.BIG_DECIMAL) {
            return value.decimalValue();
        }
        if (type == MarshallingType.INSTANT) {
            return Instant.ofEpochSecond(value.longValue());
        }
        return value.asString();
    }

    /** One recorded ConverseStream event: its {@code :event-type} and JSON payload. */
    record Frame(String event, JsonNode payload) {
    }

    /** A recorded stream: one {@code {"event": …, "payload": …}} per line. */
    static List<Frame> frames(String golden) {
        List<Frame> frames = new ArrayList<>();
        for (String line : golden(golden).split("\n")) {
            if (!line.isBlank()) {
                JsonNode frame = tree(line);
                frames.add(new Frame(frame.get("event").asString(), frame.get("payload")));
            }
        }
        return frames;
    }

    /** A recorded event as the SDK delivers it. */
    static ConverseStreamOutput event(Frame frame) {
        return switch (frame.event()) {
            case "messageStart" -> read(frame.payload(), ConverseStreamOutput.messageStartBuilder());
            case "contentBlockStart" -> read(frame.payload(), ConverseStreamOutput.contentBlockStartBuilder());
            case "contentBlockDelta" -> read(frame.payload(), ConverseStreamOutput.contentBlockDeltaBuilder());
            case "contentBlockStop" -> read(frame.payload(), ConverseStreamOutput.contentBlockStopBuilder());
            case "messageStop" -> read(frame.payload(), ConverseStreamOutput.messageStopBuilder());
            case "metadata" -> read(frame.payload(), ConverseStreamOutput.metadataBuilder());
            default -> throw new IllegalArgumentException("unknown event " + frame.event());
        };
    }

    static List<ConverseStreamOutput> events(String golden) {
        return frames(golden).stream().map(ConverseJson::event).toList();
    }

    /** A golden file's text. */
    static String golden(String name) {
        try (InputStream in = ConverseJson.class.getResourceAsStream("/golden/bedrock/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode goldenJson(String name) {
        return Json.mapper().readTree(golden(name));
    }
}
