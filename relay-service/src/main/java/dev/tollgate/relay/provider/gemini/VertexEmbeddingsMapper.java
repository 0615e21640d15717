package dev.tollgate.relay.provider.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import dev.tollgate.relay.provider.gemini.wire.VertexPredictRequest;
import dev.tollgate.relay.provider.gemini.wire.VertexPredictResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * The internal {@link EmbeddingRequest} as Vertex AI's text-embeddings {@code :predict} body (the model is only in
 * the URL), and its answer back in the internal model. Unlike AI Studio, Vertex reports each text's
 * {@code statistics.token_count}: their sum is the usage billed (not estimated). An answer where a prediction lacks
 * its count is billed by the relay's own count instead (usage null), rather than undercharged. Vertex takes at most
 * {@value #MAX_INSTANCES} texts per call, and its {@code gemini-embedding-*} models one: a larger request is
 * {@link #split} into calls that fit and their answers {@link #merge}d, in order. Pure.
 */
public final class VertexEmbeddingsMapper {

    /** Vertex's limit of instances in one {@code :predict} call of its text-embedding models. */
    static final int MAX_INSTANCES = 250;

    private VertexEmbeddingsMapper() {
    }

    /** The most texts one call to {@code model} may carry: one for the Gemini embedding models, else 250. */
    static int maxInstances(String model) {
        String name = model.strip();
        int slash = name.lastIndexOf('/');
        return name.substring(slash + 1).startsWith("gemini-embedding") ? 1 : MAX_INSTANCES;
    }

    /** The request as calls {@code model} takes, in order (the request itself when it fits in one). */
    public static List<EmbeddingRequest> split(EmbeddingRequest request, String model) {
        int size = maxInstances(model);
        List<EmbeddingRequest.Input> inputs = request.inputs();
        if (inputs.size() <= size) {
            return List.of(request);
        }
        List<EmbeddingRequest> parts = new ArrayList<>();
        for (int from = 0; from < inputs.size(); from += size) {
            parts.add(new EmbeddingRequest(inputs.subList(from, Math.min(inputs.size(), from + size)),
                    request.dimensions()));
        }
        return parts;
    }

    /** The answers to {@link #split}'s calls as one: vectors in order, usage summed (null when any lacks it). */
    public static EmbeddingResponse merge(List<EmbeddingResponse> parts) {
        List<float[]> vectors = new ArrayList<>();
        long tokens = 0;
        boolean counted = true;
        for (EmbeddingResponse part : parts) {
            vectors.addAll(part.vectors());
            if (part.usage() == null) {
                counted = false;
            } else {
                tokens = Math.addExact(tokens, part.usage().inputTokens());
            }
        }
        return new EmbeddingResponse(vectors, counted ? TokenUsage.ofTokens(tokens, 0) : null);
    }

    public static byte[] createRequest(EmbeddingRequest request) {
        List<VertexPredictRequest.Instance> instances = request.inputs().stream()
                .map(input -> new VertexPredictRequest.Instance(input.text(), input.taskType(), input.title()))
                .toList();
        return Json.mapper().writeValueAsBytes(new VertexPredictRequest(instances,
                new VertexPredictRequest.Parameters(request.dimensions(), true)));
    }

    /** @throws IllegalArgumentException when the body is no list of embedding predictions */
    public static EmbeddingResponse toEmbeddingResponse(byte[] body) {
        VertexPredictResponse answer;
        try {
            answer = Json.mapper().readValue(body, VertexPredictResponse.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a Vertex AI predict answer", e);
        }
        if (answer == null || answer.predictions() == null) {
            throw new IllegalArgumentException("a Vertex AI predict answer without predictions");
        }
        List<float[]> vectors = new ArrayList<>(answer.predictions().size());
        long tokens = 0;
        boolean counted = true;
        for (VertexPredictResponse.Prediction prediction : answer.predictions()) {
            VertexPredictResponse.Embeddings embeddings = prediction == null ? null : prediction.embeddings();
            if (embeddings == null || embeddings.values() == null) {
                throw new IllegalArgumentException("a Vertex AI prediction without embedding values");
            }
            vectors.add(embeddings.values());
            Long count = embeddings.statistics() == null ? null : embeddings.statistics().tokenCount();
            if (count == null || count < 0) {
                counted = false;
            } else {
                tokens = Math.addExact(tokens, count);
            }
        }
        return new EmbeddingResponse(vectors, counted ? TokenUsage.ofTokens(tokens, 0) : null);
    }
}
