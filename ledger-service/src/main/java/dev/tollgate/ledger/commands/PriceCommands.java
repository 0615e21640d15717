package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.ledger.pricing.PriceRepository;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Prices and group multipliers: SetPrice (a new version each time), SetGroup (upsert). */
@Component
class PriceCommands {

    private final PriceRepository repository;

    PriceCommands(PriceRepository repository) {
        this.repository = repository;
    }

    Outcome setPrice(Command.SetPrice c) {
        Optional<Outcome> invalid = Checks.required("model", c.model(), 128);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (c.outputReserveTokens() != null && c.outputReserveTokens() < 0) {
            return Outcome.rejected(Outcome.INVALID, "outputReserveTokens must not be negative");
        }
        Price price;
        try {
            price = new Price(c.inputMicrosPerMTok(), c.outputMicrosPerMTok(), c.cachedInputMicrosPerMTok(),
                    c.cacheWriteMicrosPerMTok(), c.perRequestMicros(), c.perImageMicros(), c.perAudioSecondMicros(),
                    c.reasoningMicrosPerMTok());
        } catch (IllegalArgumentException e) {
            return Outcome.rejected(Outcome.INVALID, e.getMessage());
        }
        long version = repository.insertNextVersion(c.model(), price, c.outputReserveTokens());
        return Outcome.applied("price", c.model(), version,
                new Change.PriceChanged(c.model(), version, price, c.outputReserveTokens()));
    }

    Outcome setGroup(Command.SetGroup c) {
        Optional<Outcome> invalid = Checks.required("name", c.name(), 64)
                .or(() -> Checks.rateLimit("rpmLimit", c.rpmLimit()))
                .or(() -> Checks.rateLimit("tpmLimit", c.tpmLimit()));
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (c.multiplierBp() < 0) {
            return Outcome.rejected(Outcome.INVALID, "multiplierBp must not be negative");
        }
        // A set replaces the whole group: limits absent from the command are removed.
        long version = repository.upsertGroup(c.name(), c.multiplierBp(), c.rpmLimit(), c.tpmLimit());
        return Outcome.applied("group", c.name(), version,
                new Change.GroupChanged(c.name(), c.multiplierBp(), version, c.rpmLimit(), c.tpmLimit()));
    }
}
