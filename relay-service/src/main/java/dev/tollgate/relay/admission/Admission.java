package dev.tollgate.relay.admission;

import dev.tollgate.relay.snapshot.PriceEntry;

/** A request let through: the price version it was admitted under (the model's own, or the
 * default {@code *} price) and what it holds. */
public record Admission(PriceEntry price, long multiplierBp, long estimateMicros, Reservation reservation) {
}
