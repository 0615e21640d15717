package dev.tollgate.contracts.events;

import java.time.Instant;

/**
 * A command on the wire: {@code {"v":1,"type":"key.update","id":"<idempotency key>","at":…,"actor":…,"payload":{…}}}.
 * The id is the idempotency key: the ledger applies a command id once and answers repeats with the
 * stored result.
 */
public record CommandEnvelope(int v, String type, String id, Instant at, String actor, Command payload) {

    public static CommandEnvelope of(String id, String actor, Command payload) {
        return new CommandEnvelope(Envelopes.VERSION, CommandTypes.typeOf(payload), id, Instant.now(), actor, payload);
    }
}
