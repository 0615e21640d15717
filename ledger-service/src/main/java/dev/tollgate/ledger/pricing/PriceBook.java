package dev.tollgate.ledger.pricing;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.contracts.money.Price;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Prices and group multipliers held in memory (they are tiny). Loaded at start, updated by the
 * ledger's own SetPrice/SetGroup commands once they commit; a model or version not yet known is
 * re-read from the database, at most every few seconds per model.
 */
@Component
public class PriceBook implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(PriceBook.class);
    private static final long RELOAD_EVERY_NANOS = 10_000_000_000L;

    private final PriceRepository repository;
    private final Map<String, Long> lastReload = new ConcurrentHashMap<>();
    private volatile PriceCatalog catalog = PriceCatalog.EMPTY;

    PriceBook(PriceRepository repository) {
        this.repository = repository;
    }

    @Override
    public void afterSingletonsInstantiated() {
        catalog = repository.loadCatalog();
        log.info("Loaded prices of {} models and {} groups", catalog.prices().size(), catalog.groupMultipliers().size());
    }

    /** The cost of one usage event in micros: its asked model's price at its version, times its group. */
    public long costOf(UsageEvent event) {
        if (TokenUsage.NONE.equals(event.tokens())) {
            return 0; // nothing consumed (a rejected request): no price needed, nothing to warn about
        }
        String model = event.modelAsked();
        refreshIfUnknown(model, event.priceVersion());
        PriceCatalog current = catalog;
        Price price = current.price(model, event.priceVersion());
        if (price == null) {
            log.warn("No price for model '{}' (request {}): charged 0", model, event.requestId());
            return 0;
        }
        return current.cost(model, event.priceVersion(), event.group(), event.tokens());
    }

    /** Applies a committed price (or right away when called outside a transaction). */
    public void priceSet(String model, long version, Price price) {
        afterCommit(() -> catalog = catalog.withPrice(model, version, price));
    }

    public void groupSet(String name, long multiplierBp) {
        afterCommit(() -> catalog = catalog.withGroup(name, multiplierBp));
    }

    public PriceCatalog catalog() {
        return catalog;
    }

    private void refreshIfUnknown(String model, long version) {
        if (model == null) {
            return;
        }
        PriceVersions known = catalog.prices().get(model);
        if (known != null && known.latestVersion() >= version) {
            return;
        }
        long now = System.nanoTime();
        Long last = lastReload.get(model);
        if (last != null && now - last < RELOAD_EVERY_NANOS) {
            return;
        }
        lastReload.put(model, now);
        PriceVersions loaded = repository.loadModel(model);
        if (!loaded.byVersion().isEmpty()) {
            synchronized (this) {
                catalog = catalog.withModel(model, loaded);
            }
        }
    }

    private synchronized void afterCommit(Runnable update) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            update.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                synchronized (PriceBook.this) {
                    update.run();
                }
            }
        });
    }
}
