package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.CommandEnvelope;
import java.util.Objects;

/** A {@code processed_commands} row: what the command id was first used for, and its result. */
record StoredCommand(String type, String fingerprint, Change.CommandResult result) {

    /**
     * Whether a command under the same id is a retry of this one: the same type, and the same
     * fingerprint when both have one (older producers send none, and are trusted as before).
     */
    boolean sameRequestAs(CommandEnvelope command) {
        if (!Objects.equals(type, command.type())) {
            return false;
        }
        return fingerprint == null || command.fingerprint() == null || fingerprint.equals(command.fingerprint());
    }
}
