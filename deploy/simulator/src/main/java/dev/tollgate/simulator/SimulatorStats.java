package dev.tollgate.simulator;

/**
 * A snapshot of what the simulator has seen since start or the last reset.
 *
 * @param requests          chat requests received in any dialect (OpenAI chat completions, Anthropic messages,
 *                          Bedrock converse / converse-stream), including malformed and failed ones
 * @param completed         chat answers whose last bytes (a stream's last frame) were handed to the connection;
 *                          counted before they are written so a client that read the answer always sees it here
 * @param cancelled         responses abandoned because the client went away before the end
 * @param failed            injected faults: failStatus / x-sim-fail answers and cut streams
 * @param lastRequestBody   the raw JSON of the last chat request, or null
 * @param lastAuthorization the Authorization header of the last chat request, or null
 * @param inFlight          chat requests currently open (a live gauge, not cleared by reset)
 */
public record SimulatorStats(
        long requests,
        long completed,
        long cancelled,
        long failed,
        String lastRequestBody,
        String lastAuthorization,
        long inFlight) {
}
