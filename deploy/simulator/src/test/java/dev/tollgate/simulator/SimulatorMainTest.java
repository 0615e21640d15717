package dev.tollgate.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

class SimulatorMainTest {

    @Test
    void shouldBindTheHostFromTheFlagWhenBothFlagAndEnvironmentAreGiven() {
        assertThat(SimulatorMain.host(new String[] {"--host", "0.0.0.0"}, "10.0.0.1")).isEqualTo("0.0.0.0");
        assertThat(SimulatorMain.host(new String[] {"--host=::"}, null)).isEqualTo("::");
    }

    @Test
    void shouldBindTheHostFromTheEnvironmentWhenNoFlagIsGiven() {
        assertThat(SimulatorMain.host(new String[] {"--port", "1"}, " 0.0.0.0 ")).isEqualTo("0.0.0.0");
    }

    @Test
    void shouldBindLoopbackOnlyWhenNothingIsGiven() {
        assertThat(SimulatorMain.host(new String[0], "")).isEqualTo("127.0.0.1");
    }

    @Test
    void shouldAnswerOnLoopbackWhenBoundToAllInterfaces() throws Exception {
        try (Simulator sim = Simulator.start("0.0.0.0", 0)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(sim.anthropicBaseUrl() + "/_sim/stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }
}
