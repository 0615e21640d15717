package dev.tollgate.contracts.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CostTest {

    private static final Price GPT4O_MINI = new Price(150_000, 600_000, 75_000, 0, 0, 0, 0, 0);

    @Test
    void shouldCostNothingWhenNoTokens() {
        assertThat(Cost.micros(TokenUsage.NONE, GPT4O_MINI, 10_000)).isZero();
    }

    @Test
    void shouldRoundOneTokenAtTinyPriceUpToOneMicro() {
        // 1 token × 1 micro per million tokens = 0.000001 micros: still charged 1 micro, never 0.
        assertThat(Cost.micros(TokenUsage.ofTokens(1, 0), Price.perMTok(1, 0), 10_000)).isEqualTo(1);
    }

    @Test
    void shouldChargeExactlyWhenDivisible() {
        // 1000 input at $0.15/M + 500 output at $0.60/M = 150 + 300 micros.
        assertThat(Cost.micros(TokenUsage.ofTokens(1000, 500), GPT4O_MINI, 10_000)).isEqualTo(450);
    }

    @Test
    void shouldRoundUpOnlyWhenThereIsARemainder() {
        // 7 input tokens at 150,000 micros/M = 1.05 micros → 2
        assertThat(Cost.micros(TokenUsage.ofTokens(7, 0), GPT4O_MINI, 10_000)).isEqualTo(2);
        // 20 input tokens = exactly 3 micros
        assertThat(Cost.micros(TokenUsage.ofTokens(20, 0), GPT4O_MINI, 10_000)).isEqualTo(3);
    }

    @Test
    void shouldApplyGroupMultiplierInBasisPoints() {
        TokenUsage usage = TokenUsage.ofTokens(1000, 500);
        assertThat(Cost.micros(usage, GPT4O_MINI, 15_000)).isEqualTo(675);
        assertThat(Cost.micros(usage, GPT4O_MINI, 0)).isZero();
        assertThat(Cost.micros(usage, GPT4O_MINI, 3_333)).isEqualTo(150); // 449.985 is not a whole micro: 150 after ceil of 149.985
    }

    @Test
    void shouldPriceEachTokenClassSeparately() {
        TokenUsage usage = new TokenUsage(1_000_000, 1_000_000, 1_000_000, 1_000_000, 400_000, 2, 3, 4);
        Price price = new Price(1, 2, 3, 4, 5, 6, 7, 0);
        // tokens: 1+2+3+4 micros; units: 2·5 + 3·6 + 4·7 = 56 micros
        assertThat(Cost.micros(usage, price, 10_000)).isEqualTo(66);
        // with reasoning at 8: output is 600,000·2 + 400,000·8 = 4.4 micros instead of 2, so 68.4 → 69
        assertThat(Cost.micros(usage, new Price(1, 2, 3, 4, 5, 6, 7, 8), 10_000)).isEqualTo(69);
    }

    @Test
    void shouldPriceReasoningAsOutputWhenThePriceHasNoReasoningRate() {
        // 500 output of which 300 reasoning, no reasoning rate: all 500 at $0.60/M = 300 micros.
        TokenUsage usage = new TokenUsage(1000, 0, 0, 500, 300, 0, 0, 0);
        assertThat(Cost.micros(usage, GPT4O_MINI, 10_000)).isEqualTo(450);
    }

    @Test
    void shouldPriceTheReasoningPartOfTheOutputAtItsOwnRateWhenThePriceHasOne() {
        // 500 output of which 300 reasoning at $2/M: 200·0.60 + 300·2 = 120 + 600 micros, + 150 input.
        TokenUsage usage = new TokenUsage(1000, 0, 0, 500, 300, 0, 0, 0);
        Price price = GPT4O_MINI.withReasoning(2_000_000);
        assertThat(Cost.micros(usage, price, 10_000)).isEqualTo(870);
        // Cheaper reasoning than output is a price too: 200·0.60 + 300·0.10 = 120 + 30, + 150 input.
        assertThat(Cost.micros(usage, GPT4O_MINI.withReasoning(100_000), 10_000)).isEqualTo(300);
    }

    @Test
    void shouldCountReasoningForNoMoreThanTheOutputWhenAnEventClaimsMore() {
        // 100 output but 250 "reasoning": the 100 are all reasoning, nothing is left at the output rate.
        TokenUsage usage = new TokenUsage(0, 0, 0, 100, 250, 0, 0, 0);
        Price price = Price.perMTok(0, 1_000_000).withReasoning(3_000_000);
        assertThat(Cost.micros(usage, price, 10_000)).isEqualTo(300); // 100 at $3/M; unclamped it would be 600
        TokenUsage large = new TokenUsage(0, 0, 0, 1_000_000, 5_000_000, 0, 0, 0);
        assertThat(Cost.micros(large, price, 10_000)).isEqualTo(3_000_000);
    }

    @Test
    void shouldRoundTheSplitOutputUpOnceNotPerClass() {
        // 1 output token at $1/M and 1 reasoning token at $2/M: 3 micro-micros in all, 1 micro after the
        // one ceil (rounding each class up alone would charge 2).
        TokenUsage usage = new TokenUsage(0, 0, 0, 2, 1, 0, 0, 0);
        Price price = Price.perMTok(0, 1).withReasoning(2);
        assertThat(Cost.micros(usage, price, 10_000)).isEqualTo(1);
        // 1,000,000 reasoning tokens at 2 micros/M with 4,999 bp = 0.9998 micros → 1; 500,001 at 1× =
        // 1.000002 → 2; 500,000 at 1× = exactly 1.
        assertThat(Cost.micros(new TokenUsage(0, 0, 0, 1_000_000, 1_000_000, 0, 0, 0), price, 4_999)).isEqualTo(1);
        assertThat(Cost.micros(new TokenUsage(0, 0, 0, 500_001, 500_001, 0, 0, 0), price, 10_000)).isEqualTo(2);
        assertThat(Cost.micros(new TokenUsage(0, 0, 0, 500_000, 500_000, 0, 0, 0), price, 10_000)).isEqualTo(1);
    }

    @Test
    void shouldMatchBigIntegerPathForReasoningAroundTheLongBoundary() {
        // Past where tokens × price × bp overflows a long, with reasoning split out: the fallback must agree.
        long output = 30_000_000_000L;
        long reasoning = 10_000_000_000L;
        Price price = Price.perMTok(0, 60_000_000).withReasoning(100_000_000);
        TokenUsage usage = new TokenUsage(0, 0, 0, output, reasoning, 0, 0, 0);
        java.math.BigInteger tokenPart = java.math.BigInteger.valueOf(output - reasoning)
                .multiply(java.math.BigInteger.valueOf(60_000_000))
                .add(java.math.BigInteger.valueOf(reasoning).multiply(java.math.BigInteger.valueOf(100_000_000)));
        long expected = tokenPart.multiply(java.math.BigInteger.valueOf(12_345))
                .add(java.math.BigInteger.valueOf(10_000_000_000L - 1))
                .divide(java.math.BigInteger.valueOf(10_000_000_000L)).longValueExact();
        assertThat(Cost.micros(usage, price, 12_345)).isEqualTo(expected);
    }

    @Test
    void shouldNotOverflowOnHugeCounts() {
        TokenUsage huge = TokenUsage.ofTokens(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2);
        Price price = Price.perMTok(1_000_000, 1_000_000); // $1 per million tokens
        // (MAX/2 + MAX/2) tokens × 1 micro per token = MAX-1 micros
        assertThat(Cost.micros(huge, price, 10_000)).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void shouldMatchBigIntegerPathAroundTheLongBoundary() {
        // Just past where tokens × price × bp overflows a long: the fallback must agree with the formula.
        long tokens = 10_000_000_000L;
        Price price = Price.perMTok(100_000_000, 0); // $100 per million
        long expected = java.math.BigInteger.valueOf(tokens).multiply(java.math.BigInteger.valueOf(100_000_000))
                .multiply(java.math.BigInteger.valueOf(12_345))
                .add(java.math.BigInteger.valueOf(10_000_000_000L - 1))
                .divide(java.math.BigInteger.valueOf(10_000_000_000L)).longValueExact();
        assertThat(Cost.micros(TokenUsage.ofTokens(tokens, 0), price, 12_345)).isEqualTo(expected);
    }

    @Test
    void shouldRefuseACostBeyondLongRange() {
        TokenUsage huge = TokenUsage.ofTokens(Long.MAX_VALUE, 0);
        assertThatThrownBy(() -> Cost.micros(huge, Price.perMTok(Long.MAX_VALUE, 0), 10_000))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void shouldRejectNegativeInputs() {
        assertThatThrownBy(() -> TokenUsage.ofTokens(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Price.perMTok(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Price.perMTok(1, 1).withReasoning(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cost.micros(TokenUsage.NONE, Price.FREE, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSplitCachedTokensOutOfOpenAiPromptTokens() {
        TokenUsage usage = TokenUsage.fromOpenAi(1000, 400, 50, 10);
        assertThat(usage.inputTokens()).isEqualTo(600);
        assertThat(usage.cacheReadTokens()).isEqualTo(400);
        assertThat(usage.outputTokens()).isEqualTo(50);
        assertThat(usage.reasoningTokens()).isEqualTo(10);
    }
}
