package dev.tollgate.simulator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streamed wire bytes for a fixed config, pinned so format drift shows up as a diff. */
class OpenAiGoldenTest {

    private static final String REQUEST = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say three words.\"}]}";

    @Test
    void shouldStreamTheRecordedBytesWhenUsageIsIncluded() throws Exception {
        String body;
        try (Simulator sim = Simulator.start(0)) {
            sim.config(SimulatorConfig.defaults()
                    .withChunks(3)
                    .withCachedTokens(2)
                    .withReasoningTokens(1));
            body = new SimClient(sim).post("/v1/chat/completions", REQUEST).body();
        }

        assertThat(normalise(body)).isEqualTo(golden("golden/stream-include-usage.txt"));
    }

    /** Ids and timestamps differ per run; everything else must match byte for byte. */
    static String normalise(String body) {
        return body.replaceAll("\"id\":\"chatcmpl-[0-9a-f]+\"", "\"id\":\"chatcmpl-ID\"")
                .replaceAll("\"created\":\\d+", "\"created\":0");
    }

    private static String golden(String resource) throws Exception {
        try (InputStream in = OpenAiGoldenTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
