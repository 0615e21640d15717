package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.metering.TokenCounter;
import org.junit.jupiter.api.Test;

class TextInputsTest {

    @Test
    void shouldCountTextWithTheTokenizerAndTokenIdsAsTheyAre() {
        assertThat(TextInputs.count(Json.mapper().readTree("\"hello world\"")))
                .isEqualTo(TokenCounter.count("hello world"));
        assertThat(TextInputs.count(Json.mapper().readTree("[\"hello\",\"world\"]")))
                .isEqualTo(TokenCounter.count("hello") + TokenCounter.count("world"));
        assertThat(TextInputs.count(Json.mapper().readTree("[5,6,7]"))).isEqualTo(3);
        assertThat(TextInputs.count(Json.mapper().readTree("[[5,6],[7]]"))).isEqualTo(3);
    }
}
