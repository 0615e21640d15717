package dev.tollgate.contracts.money;

/**
 * One version of a model's price. Token classes in micro-dollars per million tokens, units in
 * micro-dollars per unit; a class left at 0 costs nothing.
 */
public record Price(
        long inputMicrosPerMTok,
        long outputMicrosPerMTok,
        long cachedInputMicrosPerMTok,
        long cacheWriteMicrosPerMTok,
        long perRequestMicros,
        long perImageMicros,
        long perAudioSecondMicros) {

    public static final Price FREE = new Price(0, 0, 0, 0, 0, 0, 0);

    public Price {
        if (inputMicrosPerMTok < 0 || outputMicrosPerMTok < 0 || cachedInputMicrosPerMTok < 0
                || cacheWriteMicrosPerMTok < 0 || perRequestMicros < 0 || perImageMicros < 0
                || perAudioSecondMicros < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    public static Price perMTok(long inputMicrosPerMTok, long outputMicrosPerMTok) {
        return new Price(inputMicrosPerMTok, outputMicrosPerMTok, 0, 0, 0, 0, 0);
    }
}
