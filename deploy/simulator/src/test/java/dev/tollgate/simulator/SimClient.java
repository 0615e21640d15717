package dev.tollgate.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A JDK HttpClient pointed at one simulator, with helpers for SSE bodies. */
public final class SimClient {

    private final HttpClient http = HttpClient.newBuilder()
            // h2c upgrade attempts only add noise against an HTTP/1.1 server.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String root;

    public SimClient(Simulator simulator) {
        this.root = "http://127.0.0.1:" + simulator.port();
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path);
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return http.send(builder.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
        return http.send(post(request(path), json, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST whose answer is kept as bytes, e.g. a Bedrock event stream. */
    public HttpResponse<byte[]> postForBytes(String path, String json, String... headers)
            throws IOException, InterruptedException {
        return http.send(post(request(path), json, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Opens a streamed POST with extra headers and hands back the body unread. */
    public HttpResponse<InputStream> open(String path, String json, String... headers)
            throws IOException, InterruptedException {
        return http.send(post(request(path), json, headers), HttpResponse.BodyHandlers.ofInputStream());
    }

    public HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        HttpRequest request = request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code data:} payloads of an SSE body read to its end; stops quietly if the server cuts it. */
    public static List<String> readEvents(InputStream body) {
        List<String> events = new ArrayList<>();
        try (BufferedReader reader = reader(body)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    events.add(line.substring("data: ".length()));
                }
            }
        } catch (IOException e) {
            // a cut stream ends in an exception; the events read so far are the result
        }
        return events;
    }

    /** The {@code data:} payloads of a complete SSE body held as a string. */
    public static List<String> events(String body) {
        return body.lines()
                .filter(line -> line.startsWith("data: "))
                .map(line -> line.substring("data: ".length()))
                .toList();
    }

    public static BufferedReader reader(InputStream body) {
        return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(20));
    }

    private static HttpRequest post(HttpRequest.Builder builder, String json, String... headers) {
        builder.header("Content-Type", "application/json");
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder.POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
