package dev.tollgate.relay.metering.spool;

/** The spool holds its configured maximum of unsent events: new requests must be refused, not served unmetered. */
public final class SpoolFullException extends RuntimeException {

    public SpoolFullException(String message) {
        super(message, null, false, false);
    }
}
