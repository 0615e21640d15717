package dev.tollgate.relay.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.Price;
import dev.tollgate.relay.snapshot.PriceEntry;
import org.junit.jupiter.api.Test;

class CostEstimatorTest {

    // $1 per million input tokens, $4 per million output tokens.
    private static final PriceEntry PRICE = new PriceEntry("m", 3, Price.perMTok(1_000_000, 4_000_000), 500L);

    @Test
    void shouldUseMaxTokensAsOutputWhenGiven() {
        // 1000 input × 1 + 100 output × 4 = 1400 micros
        assertThat(CostEstimator.estimate(1000, 100L, PRICE, 10_000)).isEqualTo(1_400);
    }

    @Test
    void shouldUsePriceOutputReserveWhenMaxTokensAbsent() {
        assertThat(CostEstimator.estimate(1000, null, PRICE, 10_000)).isEqualTo(1_000 + 2_000);
    }

    @Test
    void shouldReserve1024OutputTokensWhenNeitherRequestNorPriceSays() {
        PriceEntry noReserve = new PriceEntry("m", 1, Price.perMTok(0, 1_000_000), null);
        assertThat(CostEstimator.estimate(0, null, noReserve, 10_000)).isEqualTo(1_024);
    }

    @Test
    void shouldApplyGroupMultiplierWhenEstimating() {
        assertThat(CostEstimator.estimate(1000, 100L, PRICE, 15_000)).isEqualTo(2_100);
    }

    @Test
    void shouldCostNothingWhenModelHasNoPrice() {
        assertThat(CostEstimator.estimate(1_000_000, 1_000_000L, null, 10_000)).isZero();
    }
}
