package dev.tollgate.admin.commands;

import dev.tollgate.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a client asked, as the hash the ledger compares when a command id comes again:
 * {@code sha256hex(method + "|" + path + "|" + canonical JSON of the body)}. It is taken from the
 * client's request before any secret is generated or hashed, so a retry has the same one.
 */
public final class Fingerprints {

    /**
     * Left out of the body: an unsalted hash over a password would let anyone reading Kafka or the ledger's
     * tables guess it far faster than its bcrypt hash allows.
     */
    static final Set<String> SECRET_FIELDS = Set.of("password", "apiKey");
    static final String REDACTED = "(secret)";

    private Fingerprints() {
    }

    /** The body is a request record, a JSON tree, or null when the call has none. */
    public static String of(String method, String path, Object body) {
        return sha256Hex(method + "|" + path + "|" + canonicalJson(body));
    }

    /** Object keys sorted at every depth, no whitespace, nulls of records omitted, secrets replaced. */
    static String canonicalJson(Object body) {
        if (body == null) {
            return "";
        }
        JsonNode tree = body instanceof JsonNode node ? node : Json.mapper().valueToTree(body);
        return Json.mapper().writeValueAsString(canonical(tree));
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), SECRET_FIELDS.contains(e.getKey())
                    ? Json.mapper().getNodeFactory().stringNode(REDACTED) : canonical(e.getValue())));
            ObjectNode out = Json.mapper().createObjectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.mapper().createArrayNode();
            node.values().forEach(element -> out.add(canonical(element)));
            return out;
        }
        return node;
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
