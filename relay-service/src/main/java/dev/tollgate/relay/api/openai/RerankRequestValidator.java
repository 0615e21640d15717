package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.metering.TokenCounter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/rerank} bytes (Cohere/Jina shape: {@code model}, {@code query}, {@code documents} as strings or
 * {@code {text}} objects, {@code top_n}, {@code return_documents}) → {@link InboundRequest}, or a 400 naming the
 * offending parameter in OpenAI's words. Other fields (Cohere's {@code max_chunks_per_doc} …) pass through. Pure.
 */
public final class RerankRequestValidator {

    /** Cohere's and Jina's limit on the documents of one call. */
    static final int MAX_DOCUMENTS = 10_000;

    private RerankRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(byte[] body) {
        ObjectNode tree = ChatRequestValidator.parse(body);
        JsonNode model = ChatRequestValidator.model(tree);
        JsonNode query = tree.get("query");
        if (query == null || query.isNull()) {
            throw Rejection.invalid("Missing required parameter: 'query'.", "query");
        }
        if (!query.isString()) {
            throw ChatRequestValidator.invalidType("query", "a string", query);
        }
        if (query.asString().isBlank()) {
            throw Rejection.invalid("Invalid 'query': an empty string is not a valid query.", "query");
        }
        documents(tree.get("documents"));
        ChatRequestValidator.boundedInteger(tree, "top_n", MAX_DOCUMENTS);
        ChatRequestValidator.optionalBoolean(tree, "return_documents");
        return new InboundRequest(tree, body, model.asString(), false, false, 0L, 1);
    }

    private static void documents(JsonNode documents) {
        if (documents == null || documents.isNull()) {
            throw Rejection.invalid("Missing required parameter: 'documents'.", "documents");
        }
        if (!documents.isArray()) {
            throw ChatRequestValidator.invalidType("documents", "an array", documents);
        }
        if (documents.isEmpty()) {
            throw Rejection.invalid("Invalid 'documents': an empty array is not valid.", "documents");
        }
        if (documents.size() > MAX_DOCUMENTS) {
            throw Rejection.invalid("Invalid 'documents': at most " + MAX_DOCUMENTS + " documents are allowed, but got "
                    + documents.size() + ".", "documents");
        }
        for (int i = 0; i < documents.size(); i++) {
            JsonNode document = documents.get(i);
            if (!document.isString() && !document.path("text").isString()) {
                throw Rejection.invalid("Invalid 'documents[" + i + "]': expected a string or an object with a "
                        + "string 'text'.", "documents[" + i + "]");
            }
        }
    }

    /** The query and every document counted locally: admission's estimate, and the bill when unreported. */
    static long count(ObjectNode tree) {
        long tokens = TokenCounter.count(tree.path("query").asString(""));
        for (JsonNode document : tree.path("documents")) {
            tokens += TokenCounter.count(document.isString() ? document.asString()
                    : document.path("text").asString(""));
        }
        return tokens;
    }
}
