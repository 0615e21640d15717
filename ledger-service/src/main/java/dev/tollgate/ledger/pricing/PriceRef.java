package dev.tollgate.ledger.pricing;

/** A price a usage event names: its asked model at the version it was admitted under (0: none known). */
public record PriceRef(String model, long version) {
}
