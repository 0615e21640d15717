package dev.tollgate.contracts.money;

/**
 * One version of a model's price. Token classes in micro-dollars per million tokens, units in
 * micro-dollars per unit; a class left at 0 costs nothing, except reasoning: {@code reasoningMicrosPerMTok}
 * 0 means reasoning is priced as output (as OpenAI and Anthropic price it), a positive value prices the
 * reasoning part of the output at that rate and the rest of the output at {@code outputMicrosPerMTok}.
 */
public record Price(
        long inputMicrosPerMTok,
        long outputMicrosPerMTok,
        long cachedInputMicrosPerMTok,
        long cacheWriteMicrosPerMTok,
        long perRequestMicros,
        long perImageMicros,
        long perAudioSecondMicros,
        long reasoningMicrosPerMTok) {

    public static final Price FREE = new Price(0, 0, 0, 0, 0, 0, 0, 0);

    public Price {
        if (inputMicrosPerMTok < 0 || outputMicrosPerMTok < 0 || cachedInputMicrosPerMTok < 0
                || cacheWriteMicrosPerMTok < 0 || perRequestMicros < 0 || perImageMicros < 0
                || perAudioSecondMicros < 0 || reasoningMicrosPerMTok < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    /** A price whose reasoning is priced as output. */
    public Price(long inputMicrosPerMTok, long outputMicrosPerMTok, long cachedInputMicrosPerMTok,
            long cacheWriteMicrosPerMTok, long perRequestMicros, long perImageMicros, long perAudioSecondMicros) {
        this(inputMicrosPerMTok, outputMicrosPerMTok, cachedInputMicrosPerMTok, cacheWriteMicrosPerMTok,
                perRequestMicros, perImageMicros, perAudioSecondMicros, 0);
    }

    public static Price perMTok(long inputMicrosPerMTok, long outputMicrosPerMTok) {
        return new Price(inputMicrosPerMTok, outputMicrosPerMTok, 0, 0, 0, 0, 0, 0);
    }

    /** The same price with reasoning priced at {@code reasoningMicrosPerMTok} (0: as output). */
    public Price withReasoning(long reasoningMicrosPerMTok) {
        return new Price(inputMicrosPerMTok, outputMicrosPerMTok, cachedInputMicrosPerMTok, cacheWriteMicrosPerMTok,
                perRequestMicros, perImageMicros, perAudioSecondMicros, reasoningMicrosPerMTok);
    }

    /** Reasoning tokens priced apart from output: only when the price names a reasoning rate. */
    public boolean pricesReasoning() {
        return reasoningMicrosPerMTok > 0;
    }
}
