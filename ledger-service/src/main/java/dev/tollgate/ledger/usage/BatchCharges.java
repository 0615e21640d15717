package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.ledger.pricing.PriceCatalog;
import dev.tollgate.ledger.pricing.PriceRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch's new events priced and summed per user (ascending user id). An event whose cost or whose
 * user's sum does not fit a {@code long} is set aside for the DLQ instead of failing the batch.
 */
final class BatchCharges {

    private static final Logger log = LoggerFactory.getLogger(BatchCharges.class);

    private final Map<Long, UserTally> tallies = new TreeMap<>();
    private final List<ParsedUsage.Rejected> rejected = new ArrayList<>();

    private BatchCharges() {
    }

    /** The prices the events need: only those that consumed something are priced. */
    static Set<PriceRef> priceRefs(Collection<ParsedUsage.Accepted> events) {
        Set<PriceRef> refs = new LinkedHashSet<>();
        events.stream().map(ParsedUsage.Accepted::event).filter(BatchCharges::consumed)
                .forEach(e -> refs.add(new PriceRef(e.pricedModel(), e.priceVersion())));
        return refs;
    }

    /** The groups whose multipliers the events need (null: the default group). */
    static Set<String> groups(Collection<ParsedUsage.Accepted> events) {
        Set<String> groups = new HashSet<>();
        events.stream().map(ParsedUsage.Accepted::event).filter(BatchCharges::consumed)
                .forEach(e -> groups.add(e.group()));
        return groups;
    }

    static BatchCharges of(Collection<ParsedUsage.Accepted> events, PriceCatalog catalog, String batchRef) {
        BatchCharges charges = new BatchCharges();
        for (ParsedUsage.Accepted accepted : events) {
            charges.add(accepted, catalog, batchRef);
        }
        return charges;
    }

    private void add(ParsedUsage.Accepted accepted, PriceCatalog catalog, String batchRef) {
        UsageEvent event = accepted.event();
        long cost;
        try {
            cost = costOf(event, catalog);
        } catch (ArithmeticException | IllegalArgumentException e) {
            rejected.add(accepted.reject("cost cannot be computed: " + e.getMessage()));
            return;
        }
        UserTally tally = tallies.getOrDefault(event.userId(), new UserTally(event.userId()));
        if (tally.tryAdd(new ChargedUsage(event, accepted.key(), cost, batchRef))) {
            tallies.putIfAbsent(event.userId(), tally);
        } else {
            rejected.add(accepted.reject("charges of user " + event.userId() + " in one batch overflow: cost "
                    + cost + " micros"));
        }
    }

    /** @throws ArithmeticException when the cost does not fit in a {@code long} */
    static long costOf(UsageEvent event, PriceCatalog catalog) {
        if (!consumed(event)) {
            return 0; // nothing consumed (a rejected request): no price needed, nothing to warn about
        }
        if (catalog.chargedPrice(event.pricedModel(), event.priceVersion()) == null) {
            log.warn("No price for model '{}' and no default price '{}' (request {}): charged 0", event.pricedModel(),
                    PriceCatalog.DEFAULT_MODEL, event.requestId());
            return 0;
        }
        return catalog.cost(event.pricedModel(), event.priceVersion(), event.group(), event.tokens());
    }

    private static boolean consumed(UsageEvent event) {
        return !TokenUsage.NONE.equals(event.tokens());
    }

    /** User id → tally, ascending user id (the lock order); every tally has at least one request. */
    Map<Long, UserTally> tallies() {
        return tallies;
    }

    List<ParsedUsage.Rejected> rejected() {
        return rejected;
    }
}
