package dev.tollgate.ledger.pricing;

import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import java.util.HashMap;
import java.util.Map;

/**
 * An immutable view of prices and group multipliers, and the cost lookup of one request.
 * Replaced as a whole when a price or group changes.
 */
public record PriceCatalog(Map<String, PriceVersions> prices, Map<String, Long> groupMultipliers) {

    public static final String DEFAULT_GROUP = "default";
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

    /** A group's multiplier in basis points; an unknown (or absent) group counts as 1×. */
    public long multiplierBp(String group) {
        Long bp = groupMultipliers.get(group == null ? DEFAULT_GROUP : group);
        return bp == null ? Cost.BASIS_POINTS_ONE : bp;
    }

    /** What a request costs in micros; a model without any price costs 0 (the caller warns). */
    public long cost(String model, long priceVersion, String group, TokenUsage tokens) {
        Price price = price(model, priceVersion);
        return price == null ? 0 : Cost.micros(tokens, price, multiplierBp(group));
    }

    public boolean hasPrice(String model) {
        return model != null && prices.containsKey(model);
    }

    public PriceCatalog withPrice(String model, long version, Price price) {
        Map<String, PriceVersions> copy = new HashMap<>(prices);
        copy.merge(model, PriceVersions.of(Map.of(version, price)), (old, added) -> old.with(version, price));
        return new PriceCatalog(copy, groupMultipliers);
    }

    public PriceCatalog withModel(String model, PriceVersions versions) {
        Map<String, PriceVersions> copy = new HashMap<>(prices);
        copy.put(model, versions);
        return new PriceCatalog(copy, groupMultipliers);
    }

    public PriceCatalog withGroup(String name, long multiplierBp) {
        Map<String, Long> copy = new HashMap<>(groupMultipliers);
        copy.put(name, multiplierBp);
        return new PriceCatalog(prices, copy);
    }
}
