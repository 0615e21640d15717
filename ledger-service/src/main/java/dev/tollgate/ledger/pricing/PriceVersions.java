package dev.tollgate.ledger.pricing;

import dev.tollgate.contracts.money.Price;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Versions of one model's price, immutable: all of them, or (in a batch's catalog) those the batch
 * needs, i.e. the versions its events name, the latest at or before each version named that does
 * not exist, and the latest. {@link #resolve} answers the same on either set.
 */
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
        Long resolved = resolvedVersion(version);
        return resolved == null ? null : byVersion.get(resolved);
    }

    /** The version {@link #resolve} picks; null when there is none. */
    public Long resolvedVersion(long version) {
        if (byVersion.containsKey(version)) {
            return version;
        }
        Long floor = byVersion.floorKey(version);
        if (floor != null) {
            return floor;
        }
        return byVersion.isEmpty() ? null : byVersion.lastKey();
    }

    public long latestVersion() {
        return byVersion.isEmpty() ? 0 : byVersion.lastKey();
    }
}
