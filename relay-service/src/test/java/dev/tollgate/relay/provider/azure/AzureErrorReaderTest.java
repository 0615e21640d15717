package dev.tollgate.relay.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.provider.openai.OpenAiErrorReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Recorded Azure error bodies → whether the channel's setup is at fault, and the message read from each. */
class AzureErrorReaderTest {

    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({
            "error-deployment-not-found.json,    404, true,  The API deployment for this resource does not exist.",
            "error-operation-not-supported.json, 400, true,  The chatCompletion operation does not work",
            "error-content-filter.json,          400, false, The response was filtered due to the prompt",
            "error-rate-limited.json,            429, false, Requests to the ChatCompletions_Create Operation",
            "error-apim-401.json,                401, false, Unauthorized. Access token is missing"})
    void shouldBlameTheChannelOnlyForMissingOrUnfitDeploymentsWhenAzureRefuses(String golden, int status,
            boolean channelFault, String messageStart) {
        byte[] body = Golden.bytes(golden);
        UpstreamResult.Refused refused = new UpstreamResult.Refused(status, "application/json", body, null,
                OpenAiErrorReader.message(body));

        UpstreamResult classified = AzureErrorReader.classify(refused);

        assertThat(((UpstreamResult.Refused) classified).channelFault()).isEqualTo(channelFault);
        assertThat(((UpstreamResult.Refused) classified).message()).startsWith(messageStart);
    }

    @ParameterizedTest
    @CsvSource({"404, Resource not found", "404, ''"})
    void shouldBlameTheChannelWhenAzureAnswers404WhateverTheBody(int status, String text) {
        UpstreamResult.Refused refused = new UpstreamResult.Refused(status, "text/plain", text.getBytes(), null);

        assertThat(((UpstreamResult.Refused) AzureErrorReader.classify(refused)).channelFault()).isTrue();
    }
}
