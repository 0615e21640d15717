package dev.tollgate.contracts.events;

/** A message that cannot be applied as it is (malformed, unknown type, other schema version): DLQ material. */
public final class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String reason) {
        super(reason);
    }

    public UnreadableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
