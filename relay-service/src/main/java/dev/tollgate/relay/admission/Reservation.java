package dev.tollgate.relay.admission;

/** Micros held for one request in flight, against its user and key. */
public record Reservation(long id, long userId, long keyId, long amountMicros) {
}
