package dev.tollgate.admin.prices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.admin.web.ApiAssertions;
import dev.tollgate.contracts.events.Command;
import org.junit.jupiter.api.Test;

class PriceRequestTest {

    @Test
    void shouldUseZeroWhenPriceFieldsAreAbsent() {
        Command.SetPrice command = new PriceRequest(2_500_000L, null, null, null, null, null, null, null)
                .validate()
                .toCommand("openai/gpt-4o:free");

        assertThat(command.model()).isEqualTo("openai/gpt-4o:free");
        assertThat(command.inputMicrosPerMTok()).isEqualTo(2_500_000L);
        assertThat(command.outputMicrosPerMTok()).isZero();
        assertThat(command.outputReserveTokens()).isNull();
    }

    @Test
    void shouldRejectWhenAPriceIsNegative() {
        ApiAssertions.assertInvalid(() -> new PriceRequest(null, -1L, null, null, null, null, null, null).validate(),
                "outputMicrosPerMTok");
        ApiAssertions.assertInvalid(() -> new PriceRequest(null, null, null, null, null, null, null, -5L).validate(),
                "outputReserveTokens");
    }
}
