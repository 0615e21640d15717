package dev.tollgate.ledger.redemption;

import dev.tollgate.contracts.events.Change;
import java.util.List;

/**
 * What a redemption handler decided, in the shape of the command processor's outcome: applied (the
 * entity touched, its version and the changes to announce) or rejected with a code and a message.
 */
public record RedemptionOutcome(boolean ok, String entity, String entityId, long version, String code,
        String message, List<Change> changes) {

    public static final String CONFLICT = "conflict";
    public static final String INVALID = "invalid";
    public static final String NOT_FOUND = "not_found";

    public RedemptionOutcome {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    static RedemptionOutcome applied(String entity, String entityId, long version, Change... changes) {
        return new RedemptionOutcome(true, entity, entityId, version, null, null, List.of(changes));
    }

    static RedemptionOutcome rejected(String code, String message) {
        return new RedemptionOutcome(false, null, null, 0, code, message, List.of());
    }
}
