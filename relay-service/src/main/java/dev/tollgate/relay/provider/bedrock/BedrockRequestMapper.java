package dev.tollgate.relay.provider.bedrock;

import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import tools.jackson.databind.JsonNode;

/**
 * The internal {@link ChatRequest} → a Bedrock {@code Converse} / {@code ConverseStream} request for one upstream
 * model id. What Converse cannot express is refused with {@link Untranslatable}; cache markers become
 * {@code cachePoint} blocks. Pure.
 */
final class BedrockRequestMapper {

    static final String NEED_IMAGE_BYTES = "Bedrock needs image bytes: send the image base64-encoded";

    // Bedrock's constraint on requestMetadata keys and values.
    private static final Pattern METADATA_VALUE = Pattern.compile("[a-zA-Z0-9\\s:_@$#=/+,.-]{1,256}");
    private static final Map<String, String> IMAGE_FORMATS = Map.of(
            "image/png", "png", "image/jpeg", "jpeg", "image/jpg", "jpeg", "image/gif", "gif", "image/webp", "webp");

    private BedrockRequestMapper() {
    }

    static ConverseRequest createConverseRequest(ChatRequest chat, String modelId) {
        Converse converse = map(chat, modelId);
        ConverseRequest.Builder request = ConverseRequest.builder()
                .modelId(modelId)
                .messages(converse.messages());
        // Only what was given: an SDK list set empty goes on the wire as [].
        if (!converse.system().isEmpty()) {
            request.system(converse.system());
        }
        if (converse.inference() != null) {
            request.inferenceConfig(converse.inference());
        }
        if (converse.tools() != null) {
            request.toolConfig(converse.tools());
        }
        if (converse.additional() != null) {
            request.additionalModelRequestFields(converse.additional());
        }
        if (!converse.responseFieldPaths().isEmpty()) {
            request.additionalModelResponseFieldPaths(converse.responseFieldPaths());
        }
        if (!converse.metadata().isEmpty()) {
            request.requestMetadata(converse.metadata());
        }
        return request.build();
    }

    /** The same request for ConverseStream: the SDK's two builders share no interface, hence the twin. */
    static ConverseStreamRequest createConverseStreamRequest(ChatRequest chat, String modelId) {
        Converse converse = map(chat, modelId);
        ConverseStreamRequest.Builder request = ConverseStreamRequest.builder()
                .modelId(modelId)
                .messages(converse.messages());
        if (!converse.system().isEmpty()) {
            request.system(converse.system());
        }
        if (converse.inference() != null) {
            request.inferenceConfig(converse.inference());
        }
        if (converse.tools() != null) {
            request.toolConfig(converse.tools());
        }
        if (converse.additional() != null) {
            request.additionalModelRequestFields(converse.additional());
        }
        if (!converse.responseFieldPaths().isEmpty()) {
            request.additionalModelResponseFieldPaths(converse.responseFieldPaths());
        }
        if (!converse.metadata().isEmpty()) {
            request.requestMetadata(converse.metadata());
        }
        return request.build();
    }

    /** Anthropic's Claude on Bedrock (a base id, a cross-region profile or an ARN naming one). */
    static boolean isAnthropic(String modelId) {
        return modelId != null && modelId.toLowerCase(Locale.ROOT).contains("anthropic.");
    }

    /** The parts both request types share. */
    private record Converse(List<software.amazon.awssdk.services.bedrockruntime.model.Message> messages,
            List<SystemContentBlock> system, InferenceConfiguration inference, ToolConfiguration tools,
            Document additional, List<String> responseFieldPaths, Map<String, String> metadata) {
    }

    private static Converse map(ChatRequest chat, String modelId) {
        boolean anthropic = isAnthropic(modelId);
        refuseInexpressible(chat, anthropic);
        List<software.amazon.awssdk.services.bedrockruntime.model.Message> messages = messages(chat.messages());
        // Claude reports which stop sequence matched only when asked for it.
        List<String> responseFieldPaths = anthropic && !chat.stop().isEmpty() ? List.of("/stop_sequence") : List.of();
        boolean think = chat.reasoning() != null && !"none".equals(chat.reasoning().effort())
                && !continuesToolUseWithoutThinking(messages);
        return new Converse(messages, system(chat.system()), inference(chat), toolConfig(chat),
                additionalFields(chat, anthropic, think), responseFieldPaths, metadata(chat.user()));
    }

    /**
     * Claude with thinking refuses a tool-use loop whose last assistant turn does not start with its signed
     * reasoning; clients of another dialect usually drop it, so that turn is answered without thinking instead.
     */
    static boolean continuesToolUseWithoutThinking(
            List<software.amazon.awssdk.services.bedrockruntime.model.Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            software.amazon.awssdk.services.bedrockruntime.model.Message m = messages.get(i);
            if (m.role() == ConversationRole.ASSISTANT) {
                boolean usesTools = m.content().stream().anyMatch(b -> b.toolUse() != null);
                boolean startsWithReasoning = !m.content().isEmpty() && m.content().get(0).reasoningContent() != null;
                return usesTools && !startsWithReasoning;
            }
        }
        return false;
    }

    private static void refuseInexpressible(ChatRequest chat, boolean anthropic) {
        if (chat.choices() > 1) {
            throw new Untranslatable("n", "Bedrock generates one choice per request: n must be 1");
        }
        if (chat.seed() != null) {
            throw new Untranslatable("seed", "Bedrock Converse has no seed");
        }
        ResponseFormat format = chat.responseFormat();
        if (format != null && format.kind() != ResponseFormat.Kind.TEXT) {
            throw new Untranslatable("response_format", "Bedrock Converse cannot be asked for a JSON response format");
        }
        if (chat.frequencyPenalty() != null && chat.frequencyPenalty() != 0) {
            throw new Untranslatable("frequency_penalty", "Bedrock Converse has no frequency penalty");
        }
        if (chat.presencePenalty() != null && chat.presencePenalty() != 0) {
            throw new Untranslatable("presence_penalty", "Bedrock Converse has no presence penalty");
        }
        if (chat.topK() != null && !anthropic) {
            throw new Untranslatable("top_k", "top_k reaches only Anthropic models on Bedrock");
        }
        Reasoning reasoning = chat.reasoning();
        if (reasoning != null && !anthropic) {
            throw new Untranslatable(reasoning.effort() != null ? "reasoning_effort" : "thinking",
                    "extended reasoning reaches only Anthropic models on Bedrock");
        }
    }

    private static List<SystemContentBlock> system(List<Part.Text> system) {
        List<SystemContentBlock> blocks = new ArrayList<>();
        for (Part.Text text : system) {
            if (!text.text().isEmpty()) {
                blocks.add(SystemContentBlock.fromText(text.text()));
            }
            if (text.cacheControl() != null) {
                blocks.add(SystemContentBlock.fromCachePoint(cachePoint(text.cacheControl())));
            }
        }
        return blocks;
    }

    /** Turns in order; consecutive turns of one role merged, as Bedrock wants user and assistant to alternate. */
    private static List<software.amazon.awssdk.services.bedrockruntime.model.Message> messages(List<Message> turns) {
        List<ConversationRole> roles = new ArrayList<>();
        List<List<ContentBlock>> contents = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            Message turn = turns.get(i);
            List<ContentBlock> blocks = content(turn.parts(), "messages[" + i + "]");
            if (blocks.isEmpty()) {
                continue; // Bedrock refuses a turn without content; an empty turn says nothing
            }
            ConversationRole role = turn.role() == Message.Role.ASSISTANT
                    ? ConversationRole.ASSISTANT : ConversationRole.USER;
            if (!roles.isEmpty() && roles.get(roles.size() - 1) == role) {
                contents.get(contents.size() - 1).addAll(blocks);
            } else {
                roles.add(role);
                contents.add(new ArrayList<>(blocks));
            }
        }
        List<software.amazon.awssdk.services.bedrockruntime.model.Message> messages = new ArrayList<>(roles.size());
        for (int i = 0; i < roles.size(); i++) {
            messages.add(software.amazon.awssdk.services.bedrockruntime.model.Message.builder()
                    .role(roles.get(i))
                    .content(contents.get(i))
                    .build());
        }
        return messages;
    }

    private static List<ContentBlock> content(List<Part> parts, String param) {
        List<ContentBlock> blocks = new ArrayList<>();
        for (int j = 0; j < parts.size(); j++) {
            Part part = parts.get(j);
            String at = param + ".content[" + j + "]";
            JsonNode cacheControl = null;
            if (part instanceof Part.Text text) {
                // Bedrock refuses blank text blocks (OpenAI assistants send "" beside tool calls).
                if (!text.text().isEmpty()) {
                    blocks.add(ContentBlock.fromText(text.text()));
                }
                cacheControl = text.cacheControl();
            } else if (part instanceof Part.Image image) {
                blocks.add(ContentBlock.fromImage(image(image, at)));
                cacheControl = image.cacheControl();
            } else if (part instanceof Part.ToolUse toolUse) {
                blocks.add(ContentBlock.fromToolUse(toolUse(toolUse, at)));
                cacheControl = toolUse.cacheControl();
            } else if (part instanceof Part.ToolResult result) {
                blocks.add(ContentBlock.fromToolResult(toolResult(result, at)));
                cacheControl = result.cacheControl();
            } else if (part instanceof Part.Thinking thinking) {
                // Bedrock verifies reasoning it gets back by its signature: unsigned reasoning (another
                // provider's) cannot go up, and the model does not need it.
                if (thinking.signature() != null && !thinking.signature().isEmpty()) {
                    blocks.add(ContentBlock.fromReasoningContent(ReasoningContentBlock.fromReasoningText(
                            ReasoningTextBlock.builder().text(thinking.text()).signature(thinking.signature()).build())));
                }
            } else if (part instanceof Part.RedactedThinking redacted) {
                blocks.add(ContentBlock.fromReasoningContent(
                        ReasoningContentBlock.fromRedactedContent(redactedBytes(redacted.data()))));
            }
            if (cacheControl != null) {
                blocks.add(ContentBlock.fromCachePoint(cachePoint(cacheControl)));
            }
        }
        return blocks;
    }

    private static ImageBlock image(Part.Image image, String param) {
        String mediaType = image.mediaType();
        String data = image.data();
        if (!image.inline()) {
            String url = image.url() == null ? "" : image.url();
            int comma = url.indexOf(',');
            // A data: URL carries the bytes after all.
            if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
                throw new Untranslatable(param, NEED_IMAGE_BYTES);
            }
            mediaType = url.substring("data:".length(), comma - ";base64".length());
            data = url.substring(comma + 1);
        }
        String format = mediaType == null ? null : IMAGE_FORMATS.get(mediaType.trim().toLowerCase(Locale.ROOT));
        if (format == null) {
            throw new Untranslatable(param, "Bedrock takes png, jpeg, gif and webp images, not " + mediaType);
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new Untranslatable(param, "the image data is not valid base64");
        }
        return ImageBlock.builder()
                .format(ImageFormat.fromValue(format))
                .source(ImageSource.fromBytes(SdkBytes.fromByteArrayUnsafe(bytes)))
                .build();
    }

    private static ToolUseBlock toolUse(Part.ToolUse toolUse, String param) {
        Document input;
        try {
            input = BedrockDocuments.fromJsonText(toolUse.argumentsJson());
        } catch (IllegalArgumentException e) {
            throw new Untranslatable(param, "the arguments of tool call " + toolUse.id() + " are not JSON");
        }
        return ToolUseBlock.builder()
                .toolUseId(toolUse.id())
                .name(toolUse.name())
                .input(input)
                .build();
    }

    private static ToolResultBlock toolResult(Part.ToolResult result, String param) {
        List<ToolResultContentBlock> content = new ArrayList<>();
        for (int k = 0; k < result.content().size(); k++) {
            Part part = result.content().get(k);
            if (part instanceof Part.Text text && !text.text().isEmpty()) {
                content.add(ToolResultContentBlock.fromText(text.text()));
            } else if (part instanceof Part.Image image) {
                content.add(ToolResultContentBlock.fromImage(image(image, param + ".content[" + k + "]")));
            }
        }
        ToolResultBlock.Builder block = ToolResultBlock.builder()
                .toolUseId(result.toolUseId())
                .content(content);
        if (result.isError()) {
            block.status(ToolResultStatus.ERROR);
        }
        return block.build();
    }

    /** Redacted reasoning travels as base64 text, which is exactly the blob's form on Bedrock's JSON wire. */
    private static SdkBytes redactedBytes(String data) {
        String text = data == null ? "" : data;
        try {
            return SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            return SdkBytes.fromString(text, StandardCharsets.UTF_8);
        }
    }

    private static CachePointBlock cachePoint(JsonNode cacheControl) {
        CachePointBlock.Builder cachePoint = CachePointBlock.builder().type(CachePointType.DEFAULT);
        String ttl = cacheControl.path("ttl").isString() ? cacheControl.path("ttl").asString() : null;
        if ("5m".equals(ttl) || "1h".equals(ttl)) {
            cachePoint.ttl(ttl);
        }
        return cachePoint.build();
    }

    private static InferenceConfiguration inference(ChatRequest chat) {
        if (chat.maxTokens() == null && chat.temperature() == null && chat.topP() == null && chat.stop().isEmpty()) {
            return null;
        }
        InferenceConfiguration.Builder inference = InferenceConfiguration.builder();
        if (chat.maxTokens() != null) {
            inference.maxTokens((int) Math.min(Math.max(chat.maxTokens(), 1), Integer.MAX_VALUE));
        }
        if (chat.temperature() != null) {
            inference.temperature(chat.temperature().floatValue());
        }
        if (chat.topP() != null) {
            inference.topP(chat.topP().floatValue());
        }
        if (!chat.stop().isEmpty()) {
            inference.stopSequences(chat.stop());
        }
        return inference.build();
    }

    /**
     * The tools offered and how to use them. Tool choice NONE offers none — except that Bedrock refuses toolUse and
     * toolResult blocks in the history of a request without a toolConfig, so then the tools stay (with the default
     * choice), and tools used in the history but no longer declared are declared with an open schema.
     * Converse has no switch for one-call-at-a-time ({@code disableParallel}): it is left out, as a hint.
     */
    private static ToolConfiguration toolConfig(ChatRequest chat) {
        Set<String> usedInHistory = toolsUsedInHistory(chat.messages());
        boolean historyHasToolBlocks = !usedInHistory.isEmpty() || hasToolResults(chat.messages());
        ToolChoice choice = chat.toolChoice();
        boolean none = choice != null && choice.mode() == ToolChoice.Mode.NONE;
        if (chat.tools().isEmpty() && !historyHasToolBlocks || none && !historyHasToolBlocks) {
            return null;
        }
        List<software.amazon.awssdk.services.bedrockruntime.model.Tool> tools = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        for (Tool tool : chat.tools()) {
            tools.add(software.amazon.awssdk.services.bedrockruntime.model.Tool.fromToolSpec(toolSpec(tool)));
            declared.add(tool.name());
            if (tool.cacheControl() != null) {
                tools.add(software.amazon.awssdk.services.bedrockruntime.model.Tool.fromCachePoint(
                        cachePoint(tool.cacheControl())));
            }
        }
        for (String name : usedInHistory) {
            if (!declared.contains(name)) {
                tools.add(software.amazon.awssdk.services.bedrockruntime.model.Tool.fromToolSpec(
                        toolSpec(new Tool(name, null, null, null, null))));
            }
        }
        if (tools.isEmpty()) {
            return null; // only results of tools never named: nothing to declare
        }
        ToolConfiguration.Builder config = ToolConfiguration.builder().tools(tools);
        // AUTO is Converse's default, and some models refuse an explicit tool choice: sent only when it matters.
        if (!none && choice != null && !chat.tools().isEmpty()) {
            if (choice.mode() == ToolChoice.Mode.ANY) {
                config.toolChoice(software.amazon.awssdk.services.bedrockruntime.model.ToolChoice.fromAny(
                        AnyToolChoice.builder().build()));
            } else if (choice.mode() == ToolChoice.Mode.TOOL) {
                config.toolChoice(software.amazon.awssdk.services.bedrockruntime.model.ToolChoice.fromTool(
                        SpecificToolChoice.builder().name(choice.name()).build()));
            }
        }
        return config.build();
    }

    private static ToolSpecification toolSpec(Tool tool) {
        JsonNode schema = tool.inputSchema();
        Document json = schema == null || schema.isNull() || schema.isMissingNode()
                ? Document.mapBuilder().putString("type", "object").putMap("properties", Map.of()).build()
                : BedrockDocuments.fromJson(schema);
        ToolSpecification.Builder spec = ToolSpecification.builder()
                .name(tool.name())
                .inputSchema(ToolInputSchema.fromJson(json));
        if (tool.description() != null && !tool.description().isEmpty()) {
            spec.description(tool.description());
        }
        if (Boolean.TRUE.equals(tool.strict())) {
            spec.strict(true);
        }
        return spec.build();
    }

    private static Set<String> toolsUsedInHistory(List<Message> messages) {
        Set<String> names = new LinkedHashSet<>();
        for (Message message : messages) {
            for (Part part : message.parts()) {
                if (part instanceof Part.ToolUse toolUse && toolUse.name() != null) {
                    names.add(toolUse.name());
                }
            }
        }
        return names;
    }

    private static boolean hasToolResults(List<Message> messages) {
        for (Message message : messages) {
            for (Part part : message.parts()) {
                if (part instanceof Part.ToolResult) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Claude's own settings Converse has no field for. */
    private static Document additionalFields(ChatRequest chat, boolean anthropic, boolean think) {
        if (!anthropic || chat.topK() == null && !think) {
            return null;
        }
        Document.MapBuilder fields = Document.mapBuilder();
        if (chat.topK() != null) {
            fields.putNumber("top_k", chat.topK());
        }
        if (think) {
            fields.putDocument("thinking", Document.mapBuilder()
                    .putString("type", "enabled")
                    .putNumber("budget_tokens", chat.reasoning().budgetOrFromEffort())
                    .build());
        }
        return fields.build();
    }

    /**
     * The end user's id as a request metadata tag (it filters Bedrock's invocation logs). A tag Bedrock would refuse
     * is left out: it is bookkeeping, not part of the question.
     */
    private static Map<String, String> metadata(String user) {
        if (user == null || !METADATA_VALUE.matcher(user).matches()) {
            return Map.of();
        }
        return Map.of("user", user);
    }
}
