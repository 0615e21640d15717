package dev.tollgate.relay.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.money.Price;
import dev.tollgate.relay.snapshot.PriceEntry;
import org.junit.jupiter.api.Test;

class CostEstimatorTest {

    // $1 per million input tokens, $4 per million output tokens.
    private static final PriceEntry PRICE = new PriceEntry("m", 3, Price.perMTok(1_000_000, 4_000_000), 500L);

    @Test
    void shouldUseMaxTokensAsOutputWhenGiven() {
        // 1000 input × 1 + 100 output × 4 = 1400 micros
        assertThat(CostEstimator.estimate(1000, 100L, 1, PRICE, 10_000)).isEqualTo(1_400);
    }

    @Test
    void shouldUsePriceOutputReserveWhenMaxTokensAbsent() {
        assertThat(CostEstimator.estimate(1000, null, 1, PRICE, 10_000)).isEqualTo(1_000 + 2_000);
    }

    @Test
    void shouldReserve1024OutputTokensWhenNeitherRequestNorPriceSays() {
        PriceEntry noReserve = new PriceEntry("m", 1, Price.perMTok(0, 1_000_000), null);
        assertThat(CostEstimator.estimate(0, null, 1, noReserve, 10_000)).isEqualTo(1_024);
    }

    @Test
    void shouldPriceTheReservedOutputAsReasoningWhenReasoningCostsMore() {
        // $12 per million reasoning tokens: 1000 input × 1 + 100 output × 12 = 2200 micros, not 1400.
        PriceEntry reasoner = new PriceEntry("m", 1, Price.perMTok(1_000_000, 4_000_000).withReasoning(12_000_000), null);
        assertThat(CostEstimator.estimate(1000, 100L, 1, reasoner, 10_000)).isEqualTo(2_200);
        // Cheaper reasoning cannot make the worst case cheaper than output: 1400 micros.
        PriceEntry cheap = new PriceEntry("m", 1, Price.perMTok(1_000_000, 4_000_000).withReasoning(1_000_000), null);
        assertThat(CostEstimator.estimate(1000, 100L, 1, cheap, 10_000)).isEqualTo(1_400);
    }

    @Test
    void shouldApplyGroupMultiplierWhenEstimating() {
        assertThat(CostEstimator.estimate(1000, 100L, 1, PRICE, 15_000)).isEqualTo(2_100);
    }

    @Test
    void shouldCostNothingWhenModelHasNoPrice() {
        assertThat(CostEstimator.estimate(1_000_000, 1_000_000L, 128, null, 10_000)).isZero();
    }

    @Test
    void shouldReserveOutputForEveryChoiceWhenRequestAsksForSeveral() {
        // 1000 input × 1 + 3 choices × 100 output × 4 = 2200 micros
        assertThat(CostEstimator.estimate(1000, 100L, 3, PRICE, 10_000)).isEqualTo(2_200);
        assertThat(CostEstimator.outputReserve(null, 4, PRICE)).as("the price's reserve, per choice").isEqualTo(2_000);
        assertThat(CostEstimator.outputReserve(null, 2, null)).isEqualTo(2 * CostEstimator.DEFAULT_OUTPUT_RESERVE);
    }

    @Test
    void shouldThrowArithmeticExceptionWhenEstimateExceedsALong() {
        PriceEntry absurd = new PriceEntry("m", 1, Price.perMTok(0, Long.MAX_VALUE / 2), null);
        assertThatThrownBy(() -> CostEstimator.estimate(0, 10_000_000L, 128, absurd, 10_000))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void shouldReservePerRequestAndPerImagePricesNotOnlyTokens() {
        // $0.01 a request, $0.04 an image, tokens free: a request for 3 images reserves 0.01 + 3 × 0.04.
        PriceEntry images = new PriceEntry("img", 1, new Price(0, 0, 0, 0, 10_000, 40_000, 0), null);
        assertThat(CostEstimator.estimate(20, 0L, 3, 3, images, 10_000)).isEqualTo(130_000);
        // A chat asking for 3 choices asks for no image: only the request's own price.
        assertThat(CostEstimator.estimate(20, 0L, 3, images, 10_000)).isEqualTo(10_000);
        // The group multiplier applies to them as to tokens (1.5×).
        assertThat(CostEstimator.estimate(20, 0L, 1, 1, images, 15_000)).isEqualTo(75_000);
    }
}
