package dev.tollgate.contracts.events;

import java.time.Instant;
import java.util.UUID;

/** A change on the wire: {@code {"v":1,"type":"key.changed","id":…,"at":…,"payload":{…}}}. */
public record ChangeEnvelope(int v, String type, String id, Instant at, Change payload) {

    public static ChangeEnvelope of(Change payload) {
        return new ChangeEnvelope(Envelopes.VERSION, ChangeTypes.typeOf(payload), UUID.randomUUID().toString(),
                Instant.now(), payload);
    }
}
