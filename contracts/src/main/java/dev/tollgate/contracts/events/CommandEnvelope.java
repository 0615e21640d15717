package dev.tollgate.contracts.events;

import java.time.Instant;

/**
 * A command on the wire:
 * {@code {"v":1,"type":"key.update","id":"<idempotency key>","at":…,"actor":…,"fingerprint":…,"payload":{…}}}.
 * The id is the idempotency key: the ledger applies a command id once and answers repeats with the
 * stored result. The fingerprint (a hash of what the caller asked, before any secret was generated)
 * lets the ledger refuse an id reused for a different request instead of answering it with another's result.
 */
public record CommandEnvelope(int v, String type, String id, Instant at, String actor, String fingerprint,
        Command payload) {

    public static CommandEnvelope of(String id, String actor, Command payload) {
        return of(id, actor, null, payload);
    }

    public static CommandEnvelope of(String id, String actor, String fingerprint, Command payload) {
        return new CommandEnvelope(Envelopes.VERSION, CommandTypes.typeOf(payload), id, Instant.now(), actor,
                fingerprint, payload);
    }
}
