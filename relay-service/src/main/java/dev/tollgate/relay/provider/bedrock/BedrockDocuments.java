package dev.tollgate.relay.provider.bedrock;

import dev.tollgate.contracts.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.document.Document;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * JSON ↔ the SDK's {@link Document} (tool schemas, tool inputs, additional model fields), both ways. Numbers keep
 * their exact decimal text: a tool argument of {@code 1.10} or {@code 12345678901234567890} arrives as sent. Pure.
 */
final class BedrockDocuments {

    // Floats as BigDecimal so a number's digits survive the trip through the tree.
    private static final ObjectReader EXACT = Json.mapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private BedrockDocuments() {
    }

    /** A JSON tree as a Document; null stays null. */
    static Document fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return node == null ? null : Document.fromNull();
        }
        if (node.isObject()) {
            Map<String, Document> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                map.put(field.getKey(), fromJson(field.getValue()));
            }
            return Document.fromMap(map);
        }
        if (node.isArray()) {
            List<Document> list = new ArrayList<>(node.size());
            for (JsonNode element : node) {
                list.add(fromJson(element));
            }
            return Document.fromList(list);
        }
        if (node.isString()) {
            return Document.fromString(node.asString());
        }
        if (node.isBoolean()) {
            return Document.fromBoolean(node.booleanValue());
        }
        if (node.isIntegralNumber()) {
            return Document.fromNumber(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            return Document.fromNumber(node.decimalValue());
        }
        return Document.fromString(node.asString());
    }

    /**
     * JSON text (a tool call's arguments) as a Document, each number kept as its own text; blank text is an empty
     * object.
     *
     * @throws IllegalArgumentException when the text is not one JSON value
     */
    static Document fromJsonText(String json) {
        if (json == null || json.isBlank()) {
            return Document.fromMap(Map.of());
        }
        try (JsonParser parser = Json.mapper().createParser(json)) {
            Document document = read(parser, parser.nextToken());
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("not one JSON value");
            }
            return document;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Document read(JsonParser parser, JsonToken token) {
        if (token == null) {
            throw new IllegalArgumentException("not JSON: no value");
        }
        switch (token) {
            case START_OBJECT -> {
                Map<String, Document> map = new LinkedHashMap<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, read(parser, parser.nextToken()));
                }
                return Document.fromMap(map);
            }
            case START_ARRAY -> {
                List<Document> list = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    list.add(read(parser, next));
                }
                return Document.fromList(list);
            }
            case VALUE_STRING -> {
                return Document.fromString(parser.getString());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return Document.fromNumber(parser.getString());
            }
            case VALUE_TRUE -> {
                return Document.fromBoolean(true);
            }
            case VALUE_FALSE -> {
                return Document.fromBoolean(false);
            }
            case VALUE_NULL -> {
                return Document.fromNull();
            }
            default -> throw new IllegalArgumentException("not JSON: unexpected " + token);
        }
    }

    /** A Document as a JSON tree; null stays null. */
    static JsonNode toJson(Document document) {
        if (document == null) {
            return null;
        }
        return EXACT.readTree(toJsonText(document));
    }

    /** A Document as compact JSON text, numbers written with their own digits. */
    static String toJsonText(Document document) {
        if (document == null) {
            return "null";
        }
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator generator = Json.mapper().createGenerator(out)) {
            write(generator, document);
        }
        return out.toString();
    }

    private static void write(JsonGenerator generator, Document document) {
        if (document == null || document.isNull()) {
            generator.writeNull();
        } else if (document.isMap()) {
            generator.writeStartObject();
            for (Map.Entry<String, Document> field : document.asMap().entrySet()) {
                generator.writeName(field.getKey());
                write(generator, field.getValue());
            }
            generator.writeEndObject();
        } else if (document.isList()) {
            generator.writeStartArray();
            for (Document element : document.asList()) {
                write(generator, element);
            }
            generator.writeEndArray();
        } else if (document.isString()) {
            generator.writeString(document.asString());
        } else if (document.isBoolean()) {
            generator.writeBoolean(document.asBoolean());
        } else if (document.isNumber()) {
            generator.writeNumber(validNumber(document.asNumber().stringValue()));
        } else {
            generator.writeNull();
        }
    }

    // SdkNumber keeps the text it was made from; only a double's NaN or Infinity is no JSON number.
    private static String validNumber(String number) {
        try {
            new BigDecimal(number);
            return number;
        } catch (NumberFormatException e) {
            return "null";
        }
    }
}
