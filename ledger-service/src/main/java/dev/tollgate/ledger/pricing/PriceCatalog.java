package dev.tollgate.ledger.pricing;

import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import java.util.Map;

/**
 * The prices and group multipliers one usage batch needs, read from MySQL inside the batch's
 * transaction, immutable. Never kept across batches: another ledger replica may have changed them.
 */
public record PriceCatalog(Map<String, PriceVersions> prices, Map<String, Long> groupMultipliers) {

    public static final String DEFAULT_GROUP = "default";
    /** The reserved model name of the default price: what a model without any price row is charged. */
    public static final String DEFAULT_MODEL = "*";
    public static final PriceCatalog EMPTY = new PriceCatalog(Map.of(), Map.of());

    public PriceCatalog {
        prices = Map.copyOf(prices);
        groupMultipliers = Map.copyOf(groupMultipliers);
    }

    /** The price for a model at a version (see {@link PriceVersions#resolve}); null when it has none. */
    public Price price(String model, long version) {
        PriceVersions versions = model == null ? null : prices.get(model);
        return versions == null ? null : versions.resolve(version);
    }

    /** The price an event is charged: its model's (see {@link #price}), else the latest default price; null if neither. */
    public Price chargedPrice(String model, long version) {
        Price own = price(model, version);
        return own != null ? own : defaultPrice();
    }

    /** The latest price of the reserved model {@code *}, when the batch needed it and it exists. */
    public Price defaultPrice() {
        PriceVersions versions = prices.get(DEFAULT_MODEL);
        return versions == null ? null : versions.resolve(versions.latestVersion());
    }

    /** A group's multiplier in basis points; an unknown (or absent) group counts as 1×. */
    public long multiplierBp(String group) {
        Long bp = groupMultipliers.get(groupName(group));
        return bp == null ? Cost.BASIS_POINTS_ONE : bp;
    }

    /**
     * What a request costs in micros, at {@link #chargedPrice}; with no price at all it costs 0 (the caller warns).
     *
     * @throws ArithmeticException when the cost does not fit in a {@code long}
     */
    public long cost(String model, long priceVersion, String group, TokenUsage tokens) {
        Price price = chargedPrice(model, priceVersion);
        return price == null ? 0 : Cost.micros(tokens, price, multiplierBp(group));
    }

    static String groupName(String group) {
        return group == null ? DEFAULT_GROUP : group;
    }
}
