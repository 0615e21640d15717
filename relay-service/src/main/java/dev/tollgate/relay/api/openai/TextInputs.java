package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.metering.TokenCounter;
import tools.jackson.databind.JsonNode;

/**
 * The text an embeddings {@code input} or a legacy completions {@code prompt} carries, in any of OpenAI's four
 * shapes: a string, an array of strings, an array of token ids, or an array of such arrays. Checked and counted
 * here, for both endpoints. Pure.
 */
final class TextInputs {

    /** OpenAI's limit on the items of one embeddings request. */
    static final int MAX_ITEMS = 2048;

    private TextInputs() {
    }

    /**
     * @param field the parameter's name, for the error
     * @throws Rejection INVALID_REQUEST when it is missing, empty or of another shape
     */
    static void check(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            throw Rejection.invalid("Missing required parameter: '" + field + "'.", field);
        }
        if (value.isString()) {
            if (value.asString().isEmpty()) {
                throw Rejection.invalid("'$." + field + "' is invalid: an empty string is not a valid input.",
                        field);
            }
            return;
        }
        if (!value.isArray()) {
            throw ChatRequestValidator.invalidType(field, "a string or an array", value);
        }
        if (value.isEmpty()) {
            throw Rejection.invalid("'$." + field + "' is invalid: an empty array is not a valid input.", field);
        }
        if (value.size() > MAX_ITEMS) {
            throw Rejection.invalid("'$." + field + "' is invalid: at most " + MAX_ITEMS + " items are allowed, "
                    + "but got " + value.size() + ".", field);
        }
        JsonNode first = value.get(0);
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String param = field + "[" + i + "]";
            boolean sameShape = first.isString() ? item.isString()
                    : first.isIntegralNumber() ? item.isIntegralNumber()
                    : first.isArray() && item.isArray();
            if (!sameShape) {
                throw Rejection.invalid("Invalid '" + param + "': every item must be a string, a token id or an "
                        + "array of token ids, all of the same kind.", param);
            }
            if (item.isIntegralNumber() && item.bigIntegerValue().signum() < 0) {
                throw Rejection.invalid("Invalid '" + param + "': a token id cannot be negative.", param);
            }
            if (item.isArray()) {
                checkTokens(item, param);
            }
        }
    }

    private static void checkTokens(JsonNode tokens, String param) {
        if (tokens.isEmpty()) {
            throw Rejection.invalid("Invalid '" + param + "': an empty array is not a valid input.", param);
        }
        for (JsonNode token : tokens) {
            if (!token.isIntegralNumber() || token.bigIntegerValue().signum() < 0) {
                throw Rejection.invalid("Invalid '" + param + "': expected an array of token ids.", param);
            }
        }
    }

    /** The input's tokens counted locally (token ids as they are), for admission. */
    static long count(JsonNode value) {
        if (value == null) {
            return 0;
        }
        if (value.isString()) {
            return TokenCounter.count(value.asString());
        }
        if (value.isIntegralNumber()) {
            return 1;
        }
        long tokens = 0;
        for (JsonNode item : value) {
            tokens += item.isArray() ? item.size() : count(item);
        }
        return tokens;
    }
}
