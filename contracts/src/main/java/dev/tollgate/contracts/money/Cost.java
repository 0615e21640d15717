package dev.tollgate.contracts.money;

import java.math.BigInteger;

/**
 * The one cost formula (DESIGN.md, "Money"):
 * <pre>
 *   tokenPart = Σ tokens · pricePerMTok
 *   unitPart  = Σ units · pricePerUnit · 1,000,000
 *   cost      = ceil((tokenPart + unitPart) · multiplierBp / (1,000,000 · 10,000))
 * </pre>
 * The token classes are input, cached input, cache writes and output. When the price names a reasoning
 * rate ({@link Price#reasoningMicrosPerMTok()} &gt; 0) the output splits in two classes:
 * <pre>
 *   reasoning = min(reasoningTokens, outputTokens)
 *   output    = (outputTokens − reasoning) · outputPerMTok + reasoning · reasoningPerMTok
 * </pre>
 * else all of it is output at {@code outputPerMTok}. Reasoning is the part of the output that was
 * reasoning, so it never counts for more than the output.
 * Exact in {@code long} when it fits, in {@link BigInteger} when it does not.
 */
public final class Cost {

    public static final long MICROS_PER_DOLLAR = 1_000_000L;
    public static final long TOKENS_PER_PRICE_UNIT = 1_000_000L;
    public static final long BASIS_POINTS_ONE = 10_000L;
    private static final long DIVISOR = TOKENS_PER_PRICE_UNIT * BASIS_POINTS_ONE;

    private Cost() {
    }

    /** Cost in micro-dollars, rounded up; never negative. */
    public static long micros(TokenUsage usage, Price price, long multiplierBp) {
        if (multiplierBp < 0) {
            throw new IllegalArgumentException("multiplierBp must not be negative: " + multiplierBp);
        }
        try {
            return exact(usage, price, multiplierBp);
        } catch (ArithmeticException overflow) {
            return big(usage, price, multiplierBp);
        }
    }

    private static long exact(TokenUsage u, Price p, long bp) {
        long tokenPart = 0;
        tokenPart = Math.addExact(tokenPart, Math.multiplyExact(u.inputTokens(), p.inputMicrosPerMTok()));
        tokenPart = Math.addExact(tokenPart, Math.multiplyExact(u.cacheReadTokens(), p.cachedInputMicrosPerMTok()));
        tokenPart = Math.addExact(tokenPart, Math.multiplyExact(u.cacheWriteTokens(), p.cacheWriteMicrosPerMTok()));
        long reasoning = reasoningPart(u, p);
        tokenPart = Math.addExact(tokenPart, Math.multiplyExact(u.outputTokens() - reasoning, p.outputMicrosPerMTok()));
        tokenPart = Math.addExact(tokenPart, Math.multiplyExact(reasoning, p.reasoningMicrosPerMTok()));
        long unitPart = 0;
        unitPart = Math.addExact(unitPart, Math.multiplyExact(u.requests(), p.perRequestMicros()));
        unitPart = Math.addExact(unitPart, Math.multiplyExact(u.images(), p.perImageMicros()));
        unitPart = Math.addExact(unitPart, Math.multiplyExact(u.audioSeconds(), p.perAudioSecondMicros()));
        unitPart = Math.multiplyExact(unitPart, TOKENS_PER_PRICE_UNIT);
        long scaled = Math.multiplyExact(Math.addExact(tokenPart, unitPart), bp);
        return ceilDiv(scaled, DIVISOR);
    }

    private static long big(TokenUsage u, Price p, long bp) {
        long reasoning = reasoningPart(u, p);
        BigInteger tokenPart = mul(u.inputTokens(), p.inputMicrosPerMTok())
                .add(mul(u.cacheReadTokens(), p.cachedInputMicrosPerMTok()))
                .add(mul(u.cacheWriteTokens(), p.cacheWriteMicrosPerMTok()))
                .add(mul(u.outputTokens() - reasoning, p.outputMicrosPerMTok()))
                .add(mul(reasoning, p.reasoningMicrosPerMTok()));
        BigInteger unitPart = mul(u.requests(), p.perRequestMicros())
                .add(mul(u.images(), p.perImageMicros()))
                .add(mul(u.audioSeconds(), p.perAudioSecondMicros()))
                .multiply(BigInteger.valueOf(TOKENS_PER_PRICE_UNIT));
        BigInteger scaled = tokenPart.add(unitPart).multiply(BigInteger.valueOf(bp));
        BigInteger[] qr = scaled.divideAndRemainder(BigInteger.valueOf(DIVISOR));
        BigInteger result = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        // A cost beyond Long.MAX_VALUE micros (9.2 trillion dollars) is no real request: refuse it.
        return result.longValueExact();
    }

    /** The output tokens priced as reasoning: none unless the price has a reasoning rate, never more than the output. */
    private static long reasoningPart(TokenUsage u, Price p) {
        return p.pricesReasoning() ? Math.min(u.reasoningTokens(), u.outputTokens()) : 0;
    }

    private static BigInteger mul(long a, long b) {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
    }

    private static long ceilDiv(long x, long y) {
        long q = x / y;
        return (x % y) > 0 ? q + 1 : q;
    }
}
