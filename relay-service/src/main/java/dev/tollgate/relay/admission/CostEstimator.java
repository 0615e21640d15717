package dev.tollgate.relay.admission;

import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.snapshot.PriceEntry;

/** Admission's guess of a request's cost: prompt counted locally plus the output it may produce. */
public final class CostEstimator {

    /** Output reserved when neither the request nor the price says how much to expect. */
    public static final long DEFAULT_OUTPUT_RESERVE = 1024;

    private CostEstimator() {
    }

    /**
     * Output tokens to reserve: per choice, max_tokens if given, else the price's reserve, else
     * {@value #DEFAULT_OUTPUT_RESERVE}; times {@code choices} (the request's {@code n}), each of which may
     * produce that much.
     *
     * @throws ArithmeticException when the reserve does not fit in a long
     */
    public static long outputReserve(Long maxTokens, int choices, PriceEntry price) {
        long perChoice = DEFAULT_OUTPUT_RESERVE;
        if (maxTokens != null) {
            perChoice = maxTokens;
        } else if (price != null && price.outputReserveTokens() != null) {
            perChoice = price.outputReserveTokens();
        }
        return Math.multiplyExact(perChoice, Math.max(choices, 1));
    }

    /**
     * The estimate in micros; 0 for a model without a price. It is the worst case: when reasoning costs more
     * than output, every reserved output token is priced as reasoning (any of them may be).
     *
     * @throws ArithmeticException when the estimate exceeds what a long holds (no balance covers it)
     */
    public static long estimate(long promptTokens, Long maxTokens, int choices, PriceEntry price, long multiplierBp) {
        return estimate(promptTokens, maxTokens, choices, 0, price, multiplierBp);
    }

    /**
     * As above, for a request that also asks for {@code images} images. The request itself is counted once, as the
     * ledger counts a served request: a per-request or per-image price is reserved, not only the tokens'.
     */
    public static long estimate(long promptTokens, Long maxTokens, int choices, long images, PriceEntry price,
            long multiplierBp) {
        return estimate(promptTokens, maxTokens, choices, images, 0, price, multiplierBp);
    }

    /** As above, for a request that also holds {@code audioSeconds} of audio to transcribe. */
    public static long estimate(long promptTokens, Long maxTokens, int choices, long images, long audioSeconds,
            PriceEntry price, long multiplierBp) {
        if (price == null) {
            return 0;
        }
        long output = outputReserve(maxTokens, choices, price);
        Price p = price.price();
        long reasoning = p.reasoningMicrosPerMTok() > p.outputMicrosPerMTok() ? output : 0;
        TokenUsage usage = new TokenUsage(promptTokens, 0, 0, output, reasoning, 1, images, audioSeconds);
        return Cost.micros(usage, p, multiplierBp);
    }

    /** The cost of what was actually used, by the same formula; 0 without a price. */
    public static long cost(TokenUsage usage, PriceEntry price, long multiplierBp) {
        return price == null ? 0 : Cost.micros(usage, price.price(), multiplierBp);
    }
}
