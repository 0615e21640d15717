package dev.tollgate.relay.provider.gemini.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A {@code generateContent} / {@code streamGenerateContent} body as the relay writes it for a translated call (the
 * model is in the URL, not here). Schemas go as JSON Schema ({@code parametersJsonSchema},
 * {@code responseJsonSchema}), which every other dialect speaks, not as Gemini's OpenAPI subset.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenerateContentRequest(
        @JsonProperty("contents") List<Content> contents,
        @JsonProperty("systemInstruction") Content systemInstruction,
        @JsonProperty("tools") List<Tool> tools,
        @JsonProperty("toolConfig") ToolConfig toolConfig,
        @JsonProperty("generationConfig") GenerationConfig generationConfig) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tool(@JsonProperty("functionDeclarations") List<FunctionDeclaration> functionDeclarations) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FunctionDeclaration(@JsonProperty("name") String name,
            @JsonProperty("description") String description,
            @JsonProperty("parametersJsonSchema") JsonNode parametersJsonSchema) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ToolConfig(@JsonProperty("functionCallingConfig") FunctionCallingConfig functionCallingConfig) {
    }

    /** {@code mode} AUTO, ANY or NONE; with ANY, {@code allowedFunctionNames} narrows the choice. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FunctionCallingConfig(@JsonProperty("mode") String mode,
            @JsonProperty("allowedFunctionNames") List<String> allowedFunctionNames) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GenerationConfig(
            @JsonProperty("temperature") Double temperature,
            @JsonProperty("topP") Double topP,
            @JsonProperty("topK") Integer topK,
            @JsonProperty("maxOutputTokens") Long maxOutputTokens,
            @JsonProperty("stopSequences") List<String> stopSequences,
            @JsonProperty("seed") Long seed,
            @JsonProperty("presencePenalty") Double presencePenalty,
            @JsonProperty("frequencyPenalty") Double frequencyPenalty,
            @JsonProperty("responseMimeType") String responseMimeType,
            @JsonProperty("responseJsonSchema") JsonNode responseJsonSchema,
            @JsonProperty("thinkingConfig") ThinkingConfig thinkingConfig) {
    }

    /** {@code thinkingBudget} 0 turns thinking off; {@code includeThoughts} asks for the thoughts in the answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThinkingConfig(@JsonProperty("thinkingBudget") Long thinkingBudget,
            @JsonProperty("includeThoughts") Boolean includeThoughts) {
    }
}
