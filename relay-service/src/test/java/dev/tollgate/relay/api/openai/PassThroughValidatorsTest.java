package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /v1/moderations} and {@code /v1/images/generations} bodies. */
class PassThroughValidatorsTest {

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRouteAModerationWithoutModelAsOpenAisDefault() {
        InboundRequest request = ModerationsRequestValidator.validate(utf8("{\"input\":\"hello\"}"));

        assertThat(request.model()).isEqualTo("omni-moderation-latest");
        assertThat(request.maxTokens()).isZero();
    }

    @Test
    void shouldAcceptMultimodalModerationInputAndCountItsText() {
        InboundRequest request = ModerationsRequestValidator.validate(utf8("{\"model\":\"omni-moderation-latest\","
                + "\"input\":[{\"type\":\"text\",\"text\":\"hello world\"},{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://x/y.png\"}}]}"));

        assertThat(ModerationsRequestValidator.count(request.tree())).isPositive();
    }

    @Test
    void shouldReserveOneChoicePerImageWhenNIsGiven() {
        InboundRequest request = ImageGenerationsRequestValidator.validate(utf8("{\"model\":\"dall-e-3\","
                + "\"prompt\":\"a fox\",\"n\":3}"));

        assertThat(request.choices()).isEqualTo(3);
        assertThat(request.model()).isEqualTo("dall-e-3");
        assertThat(ImageGenerationsRequestValidator.validate(utf8("{\"prompt\":\"a fox\"}")).model())
                .isEqualTo("dall-e-2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "moderations|{}|input",
            "moderations|{\"input\":[1,2]}|input",
            "moderations|{\"input\":[{\"type\":\"audio\"}]}|input[0].type",
            "moderations|{\"model\":5,\"input\":\"a\"}|model",
            "images|{\"model\":\"dall-e-3\"}|prompt",
            "images|{\"model\":\"dall-e-3\",\"prompt\":\" \"}|prompt",
            "images|{\"model\":\"dall-e-3\",\"prompt\":\"a\",\"n\":11}|n",
            "images|{\"model\":\"dall-e-3\",\"prompt\":\"a\",\"stream\":true}|stream"})
    void shouldNameTheParameterWhenRequestIsInvalid(String endpoint, String json, String param) {
        assertThatThrownBy(() -> {
            if (endpoint.equals("moderations")) {
                ModerationsRequestValidator.validate(utf8(json));
            } else {
                ImageGenerationsRequestValidator.validate(utf8(json));
            }
        }).isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.param()).isEqualTo(param));
    }
}
