package dev.tollgate.ledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {

    private static final Price V1 = Price.perMTok(1_000_000, 2_000_000);
    private static final Price V3 = Price.perMTok(3_000_000, 6_000_000);
    private static final Price V6 = Price.perMTok(6_000_000, 12_000_000);
    private final PriceVersions versions = PriceVersions.of(Map.of(1L, V1, 3L, V3));

    private static PriceCatalog catalog(Map<Long, Price> versions, Map<String, Long> groups) {
        return new PriceCatalog(Map.of("m", PriceVersions.of(versions)), groups);
    }

    @Test
    void shouldChargeLatestDefaultPriceWhenModelHasNoPriceAtAll() {
        PriceCatalog catalog = new PriceCatalog(Map.of("m", PriceVersions.of(Map.of(1L, V1)),
                PriceCatalog.DEFAULT_MODEL, PriceVersions.of(Map.of(2L, V3, 5L, V6))), Map.of());
        TokenUsage tokens = TokenUsage.ofTokens(1_000, 1_000);

        assertThat(catalog.chargedPrice("unpriced", 3)).isEqualTo(V6);
        assertThat(catalog.chargedPrice(null, 0)).isEqualTo(V6);
        assertThat(catalog.cost("unpriced", 3, null, tokens)).isEqualTo(Cost.micros(tokens, V6, 10_000));
        assertThat(catalog.chargedPrice("m", 1)).as("a priced model keeps its own price").isEqualTo(V1);
    }

    @Test
    void shouldChargeNothingWhenNeitherModelNorDefaultHasPrice() {
        PriceCatalog catalog = catalog(Map.of(1L, V1), Map.of());

        assertThat(catalog.chargedPrice("unpriced", 1)).isNull();
        assertThat(catalog.cost("unpriced", 1, null, TokenUsage.ofTokens(1_000, 1_000))).isZero();
    }

    @Test
    void shouldUseExactVersionWhenPresent() {
        assertThat(versions.resolve(3)).isEqualTo(V3);
        assertThat(versions.resolve(1)).isEqualTo(V1);
    }

    @Test
    void shouldUseLatestVersionBeforeWhenVersionAbsent() {
        assertThat(versions.resolve(2)).isEqualTo(V1);
        assertThat(versions.resolve(9)).isEqualTo(V3);
        assertThat(versions.resolvedVersion(9)).isEqualTo(3L);
    }

    @Test
    void shouldUseLatestVersionWhenNoneIsAtOrBefore() {
        assertThat(versions.resolve(0)).isEqualTo(V3);
    }

    @Test
    void shouldResolveAsOnAllVersionsWhenOnlyTheVersionsABatchNeedsAreLoaded() {
        // All versions: 1, 3, 4, 6. A batch naming 5 (absent) and 0 loads the floor of 5 (4) and the latest (6).
        PriceVersions all = PriceVersions.of(Map.of(1L, V1, 3L, V3, 4L, V1, 6L, V6));
        PriceVersions needed = PriceVersions.of(Map.of(4L, V1, 6L, V6));
        for (long named : new long[] {0, 5}) {
            assertThat(needed.resolvedVersion(named)).as("version %d", named).isEqualTo(all.resolvedVersion(named));
        }
    }

    @Test
    void shouldHaveNoPriceWhenModelHasNoVersions() {
        assertThat(PriceVersions.of(Map.of()).resolve(1)).isNull();
        assertThat(PriceCatalog.EMPTY.cost("nope", 1, null, TokenUsage.ofTokens(1000, 1000))).isZero();
    }

    @Test
    void shouldApplyGroupMultiplierWhenGroupKnown() {
        PriceCatalog catalog = catalog(Map.of(1L, V1), Map.of("vip", 5_000L));
        TokenUsage tokens = TokenUsage.ofTokens(1_000, 500);
        assertThat(catalog.cost("m", 1, "vip", tokens)).isEqualTo(Cost.micros(tokens, V1, 5_000)).isEqualTo(1_000);
    }

    @Test
    void shouldCountUnknownGroupAsOneTimesWhenGroupAbsent() {
        PriceCatalog catalog = catalog(Map.of(1L, V1), Map.of());
        TokenUsage tokens = TokenUsage.ofTokens(1_000, 500);
        assertThat(catalog.multiplierBp("nobody")).isEqualTo(10_000);
        assertThat(catalog.multiplierBp(null)).isEqualTo(10_000);
        assertThat(catalog.cost("m", 1, "nobody", tokens)).isEqualTo(2_000);
    }

    @Test
    void shouldUseDefaultGroupMultiplierWhenEventNamesNoGroup() {
        PriceCatalog catalog = catalog(Map.of(1L, V1), Map.of("default", 20_000L));
        assertThat(catalog.multiplierBp(null)).isEqualTo(20_000);
    }

    @Test
    void shouldThrowArithmeticExceptionWhenCostDoesNotFitALong() {
        PriceCatalog catalog = catalog(Map.of(1L, Price.perMTok(0, 1_000_000_000_000_000L)), Map.of());
        assertThatThrownBy(() -> catalog.cost("m", 1, null, TokenUsage.ofTokens(0, 1_000_000_000_000L)))
                .isInstanceOf(ArithmeticException.class);
    }
}
