package dev.tollgate.contracts.events;

/** Facts shared by every message on our topics. */
public final class Envelopes {

    /** The schema's major version; a consumer sends any other value to the DLQ. */
    public static final int VERSION = 1;

    private Envelopes() {
    }
}
