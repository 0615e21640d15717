package dev.tollgate.ledger.pricing;

import dev.tollgate.contracts.money.Price;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads, inside the caller's transaction, exactly the prices and multipliers a usage batch needs:
 * one query for the {@code (model, version)} pairs its events name and one for its groups, plus one
 * more only when an event names version 0 or a version that does not exist, and one for the default
 * price ({@code *}) only when a model has no price at all. Nothing is cached, so
 * every ledger replica charges from what is committed, whichever replica committed it.
 */
@Component
public class PriceCatalogLoader {

    private static final Logger log = LoggerFactory.getLogger(PriceCatalogLoader.class);

    private final PriceRepository repository;

    PriceCatalogLoader(PriceRepository repository) {
        this.repository = repository;
    }

    /** The catalog for these price references and groups (a null group is {@code default}). */
    public PriceCatalog load(Collection<PriceRef> refs, Collection<String> groups) {
        if (refs.isEmpty()) {
            return PriceCatalog.EMPTY; // nothing to price (only zero-usage events): no multiplier needed either
        }
        List<PriceRef> named = refs.stream().filter(r -> r.model() != null && r.version() > 0).distinct().toList();
        Map<String, Map<Long, Price>> rows = repository.pricesAt(named);
        List<PriceRef> missing = refs.stream()
                .filter(r -> r.model() != null)
                .filter(r -> !rows.getOrDefault(r.model(), Map.of()).containsKey(r.version()))
                .distinct()
                .toList();
        if (!missing.isEmpty()) {
            repository.fallbackPrices(missing).forEach((model, versions) ->
                    rows.computeIfAbsent(model, m -> new HashMap<>()).putAll(versions));
        }
        boolean unpriced = refs.stream().anyMatch(r -> r.model() == null || !rows.containsKey(r.model()));
        if (unpriced) {
            // A model with no price row at all is charged at the latest default price, if one is set.
            repository.fallbackPrices(List.of(new PriceRef(PriceCatalog.DEFAULT_MODEL, 0))).forEach((model, versions) ->
                    rows.computeIfAbsent(model, m -> new HashMap<>()).putAll(versions));
        }
        Map<String, PriceVersions> prices = new HashMap<>();
        rows.forEach((model, versions) -> prices.put(model, PriceVersions.of(versions)));
        warnAboutUnknownVersions(missing, prices);
        Set<String> groupNames = new LinkedHashSet<>();
        groups.forEach(g -> groupNames.add(PriceCatalog.groupName(g)));
        return new PriceCatalog(prices, repository.multipliers(groupNames));
    }

    private static void warnAboutUnknownVersions(List<PriceRef> missing, Map<String, PriceVersions> prices) {
        for (PriceRef ref : missing) {
            PriceVersions versions = prices.get(ref.model());
            if (ref.version() <= 0 || versions == null) {
                continue; // version 0: the relay knew no price; no price at all: warned per request when charged
            }
            log.warn("Usage names price version {} of '{}', which does not exist: charged at version {}",
                    ref.version(), ref.model(), versions.resolvedVersion(ref.version()));
        }
    }
}
