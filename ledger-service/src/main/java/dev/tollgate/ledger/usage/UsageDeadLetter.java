package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.Envelopes;
import dev.tollgate.contracts.json.Json;
import tools.jackson.databind.node.ObjectNode;

/** The DLQ message: {@code {"v":1,"type":"usage.rejected","reason":…,"raw":<original text>}}. */
final class UsageDeadLetter {

    static final String TYPE = "usage.rejected";
    static final String UNKNOWN_KEY = "unknown";

    private UsageDeadLetter() {
    }

    static String key(ParsedUsage.Rejected rejected) {
        String id = rejected.requestId();
        if (id == null) {
            return UNKNOWN_KEY;
        }
        return id.length() > 255 ? id.substring(0, 255) : id;
    }

    static String payload(ParsedUsage.Rejected rejected) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("v", Envelopes.VERSION);
        node.put("type", TYPE);
        node.put("reason", rejected.reason());
        node.put("raw", rejected.raw());
        return Json.mapper().writeValueAsString(node);
    }
}
