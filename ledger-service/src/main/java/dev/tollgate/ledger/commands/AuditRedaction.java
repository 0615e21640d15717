package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A command as the audit trail keeps it: every field whose name says it holds a secret (password and key hashes,
 * channel key ciphertexts, provider credentials in a channel's config) becomes {@code "[redacted]"}, at any depth,
 * so the trail shows that it was set but never what it was.
 */
final class AuditRedaction {

    static final String REDACTED = "[redacted]";
    private static final List<String> SECRET_WORDS =
            List.of("password", "hash", "secret", "ciphertext", "apikey", "token", "accesskey", "credential");

    private AuditRedaction() {
    }

    static String body(Command command) {
        if (command == null) {
            return "{}";
        }
        JsonNode tree = Json.mapper().valueToTree(command);
        redact(tree);
        return Json.mapper().writeValueAsString(tree);
    }

    static boolean isSecret(String fieldName) {
        String name = fieldName.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return SECRET_WORDS.stream().anyMatch(name::contains);
    }

    private static void redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> secrets = new ArrayList<>();
            for (String name : object.propertyNames()) {
                if (isSecret(name)) {
                    secrets.add(name);
                } else {
                    redact(object.get(name));
                }
            }
            secrets.stream()
                    .filter(name -> !object.get(name).isNull())
                    .forEach(name -> object.put(name, REDACTED));
        } else if (node instanceof ArrayNode array) {
            array.forEach(AuditRedaction::redact);
        }
    }
}
