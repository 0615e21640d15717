package dev.tollgate.ledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {

    private static final Price V1 = Price.perMTok(1_000_000, 2_000_000);
    private static final Price V3 = Price.perMTok(3_000_000, 6_000_000);
    private final PriceVersions versions = PriceVersions.of(Map.of(1L, V1, 3L, V3));

    @Test
    void shouldUseExactVersionWhenPresent() {
        assertThat(versions.resolve(3)).isEqualTo(V3);
        assertThat(versions.resolve(1)).isEqualTo(V1);
    }

    @Test
    void shouldUseLatestVersionBeforeWhenVersionAbsent() {
        assertThat(versions.resolve(2)).isEqualTo(V1);
        assertThat(versions.resolve(9)).isEqualTo(V3);
    }

    @Test
    void shouldUseLatestVersionWhenNoneIsAtOrBefore() {
        assertThat(versions.resolve(0)).isEqualTo(V3);
    }

    @Test
    void shouldHaveNoPriceWhenModelHasNoVersions() {
        assertThat(PriceVersions.of(Map.of()).resolve(1)).isNull();
        assertThat(PriceCatalog.EMPTY.cost("nope", 1, null, TokenUsage.ofTokens(1000, 1000))).isZero();
    }

    @Test
    void shouldApplyGroupMultiplierWhenGroupKnown() {
        PriceCatalog catalog = PriceCatalog.EMPTY.withPrice("m", 1, V1).withGroup("vip", 5_000);
        TokenUsage tokens = TokenUsage.ofTokens(1_000, 500);
        assertThat(catalog.cost("m", 1, "vip", tokens)).isEqualTo(Cost.micros(tokens, V1, 5_000)).isEqualTo(1_000);
    }

    @Test
    void shouldCountUnknownGroupAsOneTimesWhenGroupAbsent() {
        PriceCatalog catalog = PriceCatalog.EMPTY.withPrice("m", 1, V1);
        TokenUsage tokens = TokenUsage.ofTokens(1_000, 500);
        assertThat(catalog.multiplierBp("nobody")).isEqualTo(10_000);
        assertThat(catalog.multiplierBp(null)).isEqualTo(10_000);
        assertThat(catalog.cost("m", 1, "nobody", tokens)).isEqualTo(2_000);
    }

    @Test
    void shouldKeepOldVersionsWhenNewPriceAdded() {
        PriceCatalog catalog = PriceCatalog.EMPTY.withPrice("m", 1, V1).withPrice("m", 2, V3);
        assertThat(catalog.price("m", 1)).isEqualTo(V1);
        assertThat(catalog.price("m", 2)).isEqualTo(V3);
        assertThat(catalog.prices().get("m").latestVersion()).isEqualTo(2);
    }
}
