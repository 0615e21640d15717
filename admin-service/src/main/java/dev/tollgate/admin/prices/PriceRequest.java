package dev.tollgate.admin.prices;

import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.events.Command;

/**
 * The body of {@code PUT /api/prices/{model}}: absent prices are 0, none may be negative. A
 * {@code reasoningMicrosPerMTok} of 0 prices reasoning as output.
 */
public record PriceRequest(Long inputMicrosPerMTok, Long outputMicrosPerMTok, Long cachedInputMicrosPerMTok,
        Long cacheWriteMicrosPerMTok, Long perRequestMicros, Long perImageMicros, Long perAudioSecondMicros,
        Long outputReserveTokens, Long reasoningMicrosPerMTok) {

    public PriceRequest validate() {
        nonNegative("inputMicrosPerMTok", inputMicrosPerMTok);
        nonNegative("outputMicrosPerMTok", outputMicrosPerMTok);
        nonNegative("cachedInputMicrosPerMTok", cachedInputMicrosPerMTok);
        nonNegative("cacheWriteMicrosPerMTok", cacheWriteMicrosPerMTok);
        nonNegative("perRequestMicros", perRequestMicros);
        nonNegative("perImageMicros", perImageMicros);
        nonNegative("perAudioSecondMicros", perAudioSecondMicros);
        nonNegative("outputReserveTokens", outputReserveTokens);
        nonNegative("reasoningMicrosPerMTok", reasoningMicrosPerMTok);
        return this;
    }

    public Command.SetPrice toCommand(String model) {
        return new Command.SetPrice(model, zero(inputMicrosPerMTok), zero(outputMicrosPerMTok),
                zero(cachedInputMicrosPerMTok), zero(cacheWriteMicrosPerMTok), zero(perRequestMicros),
                zero(perImageMicros), zero(perAudioSecondMicros), outputReserveTokens, zero(reasoningMicrosPerMTok));
    }

    public static String checkModel(String model) {
        if (model == null || model.isBlank() || model.length() > 128) {
            throw ApiException.invalid("model", "1 to 128 characters");
        }
        return model;
    }

    private static long zero(Long v) {
        return v == null ? 0 : v;
    }

    private static void nonNegative(String field, Long v) {
        if (v != null && v < 0) {
            throw ApiException.invalid(field, "must not be negative");
        }
    }
}
