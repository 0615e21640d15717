package dev.tollgate.ledger.pricing;

import dev.tollgate.contracts.money.Price;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Every price version of one model, immutable. */
public record PriceVersions(NavigableMap<Long, Price> byVersion) {

    public PriceVersions {
        byVersion = Collections.unmodifiableNavigableMap(new TreeMap<>(byVersion));
    }

    public static PriceVersions of(Map<Long, Price> versions) {
        return new PriceVersions(new TreeMap<>(versions));
    }

    /**
     * The price an event admitted under {@code version} pays: that version; if absent, the latest
     * before it; else the latest there is; null when the model has no price at all.
     */
    public Price resolve(long version) {
        Price exact = byVersion.get(version);
        if (exact != null) {
            return exact;
        }
        Map.Entry<Long, Price> floor = byVersion.floorEntry(version);
        if (floor != null) {
            return floor.getValue();
        }
        Map.Entry<Long, Price> last = byVersion.lastEntry();
        return last == null ? null : last.getValue();
    }

    public long latestVersion() {
        return byVersion.isEmpty() ? 0 : byVersion.lastKey();
    }

    public PriceVersions with(long version, Price price) {
        TreeMap<Long, Price> copy = new TreeMap<>(byVersion);
        copy.put(version, price);
        return new PriceVersions(copy);
    }
}
