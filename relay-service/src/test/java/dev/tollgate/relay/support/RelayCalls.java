package dev.tollgate.relay.support;

import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** Raw calls to the running relay with an OpenAI-style bearer key, for what the SDKs cannot send or do not show. */
public final class RelayCalls {

    private RelayCalls() {
    }

    /** A JSON POST to {@code path}, asserting the answer's {@code status}. */
    public static EntityExchangeResult<byte[]> postJson(WebTestClient client, String path, String key, String body,
            int status) {
        return client.post().uri(path)
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody().returnResult();
    }

    /** A multipart POST of {@code form} to {@code path}, asserting the answer's {@code status}. */
    public static EntityExchangeResult<byte[]> upload(WebTestClient client, String path, String key,
            MultipartBodyBuilder form, int status) {
        return client.post().uri(path)
                .header("Authorization", "Bearer " + key)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody().returnResult();
    }

    /** A one-message chat completion for {@code model} (at most 20 tokens), whatever its status. */
    public static EntityExchangeResult<byte[]> chat(WebTestClient client, String key, String model, boolean stream) {
        return client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":20,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .exchange()
                .expectBody().returnResult();
    }
}
