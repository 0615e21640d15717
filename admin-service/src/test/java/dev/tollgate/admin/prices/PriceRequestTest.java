package dev.tollgate.admin.prices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.admin.commands.Fingerprints;
import dev.tollgate.admin.web.ApiAssertions;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.json.Json;
import org.junit.jupiter.api.Test;

class PriceRequestTest {

    @Test
    void shouldUseZeroWhenPriceFieldsAreAbsent() {
        Command.SetPrice command = new PriceRequest(2_500_000L, null, null, null, null, null, null, null, null)
                .validate()
                .toCommand("openai/gpt-4o:free");

        assertThat(command.model()).isEqualTo("openai/gpt-4o:free");
        assertThat(command.inputMicrosPerMTok()).isEqualTo(2_500_000L);
        assertThat(command.outputMicrosPerMTok()).isZero();
        assertThat(command.reasoningMicrosPerMTok()).isZero();
        assertThat(command.outputReserveTokens()).isNull();
    }

    @Test
    void shouldRejectWhenAPriceIsNegative() {
        ApiAssertions.assertInvalid(
                () -> new PriceRequest(null, -1L, null, null, null, null, null, null, null).validate(),
                "outputMicrosPerMTok");
        ApiAssertions.assertInvalid(
                () -> new PriceRequest(null, null, null, null, null, null, null, -5L, null).validate(),
                "outputReserveTokens");
    }

    @Test
    void shouldRejectWhenTheReasoningPriceIsNegative() {
        ApiAssertions.assertInvalid(
                () -> new PriceRequest(1L, 1L, null, null, null, null, null, null, -1L).validate(),
                "reasoningMicrosPerMTok");
    }

    @Test
    void shouldSendTheReasoningPriceWhenTheBodyNamesIt() {
        PriceRequest body = Json.mapper().readValue(
                "{\"inputMicrosPerMTok\":1000000,\"outputMicrosPerMTok\":4000000,\"reasoningMicrosPerMTok\":12000000}",
                PriceRequest.class);

        Command.SetPrice command = body.validate().toCommand("o3");

        assertThat(command.reasoningMicrosPerMTok()).isEqualTo(12_000_000L);
        assertThat(command.outputMicrosPerMTok()).isEqualTo(4_000_000L);
    }

    @Test
    void shouldKeepTheFingerprintOfABodyWithoutReasoningPriceWhenTheFieldIsNew() {
        // A retry sent before the field existed must still match its first request's fingerprint.
        PriceRequest body = new PriceRequest(1L, 2L, null, null, null, null, null, null, null);

        assertThat(Fingerprints.of("PUT", "/api/prices/m", body)).isEqualTo(Fingerprints.of("PUT", "/api/prices/m",
                Json.mapper().readTree("{\"inputMicrosPerMTok\":1,\"outputMicrosPerMTok\":2}")));
    }
}
