package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.Change;
import java.util.List;

/**
 * What a handler decided: applied (the entity it touched and the changes to announce) or rejected
 * with a code ({@code conflict}, {@code invalid}, {@code not_found}) and a message. A reused command
 * id ({@code idempotency_key_reused}) is answered by the processor, never by a handler.
 */
record Outcome(boolean ok, String entity, String entityId, long version, String code, String message,
        List<Change> changes) {

    static final String CONFLICT = "conflict";
    static final String INVALID = "invalid";
    static final String NOT_FOUND = "not_found";
    static final String IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused";

    Outcome {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    static Outcome applied(String entity, String entityId, long version, Change... changes) {
        return new Outcome(true, entity, entityId, version, null, null, List.of(changes));
    }

    static Outcome rejected(String code, String message) {
        return new Outcome(false, null, null, 0, code, message, List.of());
    }

    Change.CommandResult result(String commandId) {
        return ok ? Change.CommandResult.ok(commandId, entity, entityId, version)
                : Change.CommandResult.rejected(commandId, code, message);
    }
}
