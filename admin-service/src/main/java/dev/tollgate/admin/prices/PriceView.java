package dev.tollgate.admin.prices;

import java.time.Instant;

/**
 * One price version of a model: micros per million tokens, and per unit for the rest;
 * {@code reasoningMicrosPerMTok} 0 means reasoning is priced as output.
 */
public record PriceView(String model, long version, long inputMicrosPerMTok, long outputMicrosPerMTok,
        long cachedInputMicrosPerMTok, long cacheWriteMicrosPerMTok, long perRequestMicros, long perImageMicros,
        long perAudioSecondMicros, long reasoningMicrosPerMTok, Long outputReserveTokens, Instant createdAt) {
}
