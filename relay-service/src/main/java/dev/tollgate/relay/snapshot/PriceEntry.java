package dev.tollgate.relay.snapshot;

import dev.tollgate.contracts.money.Price;

/** A model's current price version; {@code outputReserveTokens} is admission's output guess (may be null). */
public record PriceEntry(String model, long version, Price price, Long outputReserveTokens) {
}
