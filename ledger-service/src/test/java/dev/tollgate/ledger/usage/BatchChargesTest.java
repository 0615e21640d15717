package dev.tollgate.ledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.ledger.pricing.PriceCatalog;
import dev.tollgate.ledger.pricing.PriceRef;
import dev.tollgate.ledger.pricing.PriceVersions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchChargesTest {

    private static final Price CHEAP = Price.perMTok(1_000_000, 2_000_000);
    private static final Price HUGE = Price.perMTok(0, 1_000_000_000_000_000L);
    private static final PriceCatalog CATALOG = new PriceCatalog(
            Map.of("cheap", PriceVersions.of(Map.of(1L, CHEAP)), "huge", PriceVersions.of(Map.of(1L, HUGE))),
            Map.of());

    private static ParsedUsage.Accepted event(String id, long user, String model, TokenUsage tokens) {
        UsageEvent e = UsageEvent.builder().requestId(id).relayId("r").userId(user).keyId(1).modelAsked(model)
                .priceVersion(1).tokens(tokens).finishedAt(Instant.parse("2026-01-01T00:00:00Z")).build();
        return new ParsedUsage.Accepted(e, UsageKey.of(e), "raw-" + id);
    }

    @Test
    void shouldChargeByUpstreamNamesPriceWhenEventNamesAPriceModel() {
        UsageEvent e = UsageEvent.builder().requestId("p").relayId("r").userId(1).keyId(1).modelAsked("alias")
                .priceModel("cheap").priceVersion(1).tokens(TokenUsage.ofTokens(1_000, 1_000))
                .finishedAt(Instant.parse("2026-01-01T00:00:00Z")).build();
        ParsedUsage.Accepted billed = new ParsedUsage.Accepted(e, UsageKey.of(e), "raw-p");

        BatchCharges charges = BatchCharges.of(List.of(billed), CATALOG, "batch");

        assertThat(BatchCharges.priceRefs(List.of(billed))).containsExactly(new PriceRef("cheap", 1));
        assertThat(charges.tallies().get(1L).sumMicros()).isEqualTo(Cost.micros(e.tokens(), CHEAP, 10_000));
    }

    @Test
    void shouldSetAsideEventWhoseCostDoesNotFitALong() {
        ParsedUsage.Accepted ok = event("a", 1, "cheap", TokenUsage.ofTokens(1_000, 1_000));
        ParsedUsage.Accepted absurd = event("b", 1, "huge", TokenUsage.ofTokens(0, 1_000_000_000_000L));

        BatchCharges charges = BatchCharges.of(List.of(ok, absurd), CATALOG, "batch");

        assertThat(charges.rejected()).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("b");
            assertThat(r.raw()).isEqualTo("raw-b");
            assertThat(r.reason()).startsWith("cost cannot be computed");
        });
        assertThat(charges.tallies().get(1L).sumMicros()).isEqualTo(Cost.micros(ok.event().tokens(), CHEAP, 10_000));
    }

    @Test
    void shouldSetAsideEventThatWouldOverflowItsUsersSum() {
        // Each costs 5e9 tokens × 1e15 micros/MTok = 5e18 micros: one fits, the second would take the user's sum past Long.MAX_VALUE.
        TokenUsage tokens = TokenUsage.ofTokens(0, 5_000_000_000L);
        ParsedUsage.Accepted first = event("a", 1, "huge", tokens);
        ParsedUsage.Accepted second = event("b", 1, "huge", tokens);
        ParsedUsage.Accepted otherUser = event("c", 2, "huge", tokens);

        BatchCharges charges = BatchCharges.of(List.of(first, second, otherUser), CATALOG, "batch");

        assertThat(charges.rejected()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("user 1").contains("overflow"));
        assertThat(charges.tallies()).containsOnlyKeys(1L, 2L);
        assertThat(charges.tallies().get(1L).requests()).isEqualTo(1);
        assertThat(charges.tallies().get(1L).sumMicros()).isEqualTo(5_000_000_000_000_000_000L);
    }

    @Test
    void shouldChargeNothingAndNeedNoPriceWhenNothingWasConsumed() {
        ParsedUsage.Accepted rejected = event("a", 1, "unpriced", TokenUsage.NONE);

        BatchCharges charges = BatchCharges.of(List.of(rejected), PriceCatalog.EMPTY, "batch");

        assertThat(BatchCharges.priceRefs(List.of(rejected))).isEmpty();
        assertThat(BatchCharges.groups(List.of(rejected))).isEmpty();
        assertThat(charges.rejected()).isEmpty();
        assertThat(charges.tallies().get(1L).sumMicros()).isZero();
        assertThat(charges.tallies().get(1L).requests()).isEqualTo(1);
    }

    @Test
    void shouldNameEachModelAndVersionOnceWhenListingThePricesNeeded() {
        List<ParsedUsage.Accepted> events = List.of(event("a", 1, "cheap", TokenUsage.ofTokens(1, 1)),
                event("b", 2, "cheap", TokenUsage.ofTokens(1, 1)), event("c", 2, "huge", TokenUsage.ofTokens(1, 1)));

        assertThat(BatchCharges.priceRefs(events)).containsExactly(new PriceRef("cheap", 1), new PriceRef("huge", 1));
    }
}
