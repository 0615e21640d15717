package dev.tollgate.local.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop HTTP load with wrk (Debian package {@code wrk}): a POST with a JSON body on N kept-alive
 * connections for a while. A Lua {@code done} hook prints the exact percentiles in microseconds, so nothing is
 * read from wrk's rounded human output.
 */
final class Wrk {

    /** What one run measured; latencies in microseconds. */
    record Result(long requests, double seconds, long p50Us, long p99Us, long maxUs, long non2xx, long socketErrors) {
        double rps() {
            return requests / seconds;
        }
    }

    private final Path workDir;
    private final List<String> prefix;

    /** @param prefix command words before {@code wrk} (e.g. {@code taskset -c 0}); empty for none */
    Wrk(Path workDir, List<String> prefix) {
        this.workDir = workDir;
        this.prefix = prefix;
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(5, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Result post(String url, String authorization, String body, int connections, int threads, int seconds)
            throws IOException, InterruptedException {
        Path script = workDir.resolve("wrk-" + Integer.toHexString((url + authorization + body).hashCode()) + ".lua");
        Files.writeString(script, """
                wrk.method = "POST"
                wrk.body = %s
                wrk.headers["Content-Type"] = "application/json"
                %s
                done = function(summary, latency, requests)
                  io.write(string.format("TG requests=%%d duration_us=%%d p50=%%d p99=%%d max=%%d non2xx=%%d errors=%%d\\n",
                    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
                    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
                    + summary.errors.timeout))
                end
                """.formatted(luaString(body), authorization == null ? ""
                        : "wrk.headers[\"Authorization\"] = " + luaString(authorization)), StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                "-s", script.toString(), url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("wrk failed: " + out);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("TG ")) {
                return parse(line);
            }
        }
        throw new IOException("wrk printed no summary: " + out);
    }

    /** The summary line the Lua {@code done} hook prints. */
    static Result parse(String line) {
        Map<String, Long> v = new HashMap<>();
        for (String kv : line.substring(3).trim().split(" ")) {
            int eq = kv.indexOf('=');
            v.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return new Result(v.get("requests"), v.get("duration_us") / 1e6, v.get("p50"), v.get("p99"), v.get("max"),
                v.get("non2xx"), v.get("errors"));
    }

    private static String luaString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
