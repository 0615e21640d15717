package dev.tollgate.relay.matrix;

/** A customer of the relay using one official SDK: the same four conversations in every dialect. */
interface Customer {

    /** A tiny PNG (1×1), base64. */
    String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    String TOOL = "get_weather";
    String TOOL_RESULT = "sunny and 21 degrees";

    Answer text(String model, boolean stream);

    Answer image(String model, boolean stream);

    /** Offers {@link #TOOL}; the model should call it. */
    Answer toolCall(String model, boolean stream);

    /** Sends the result of {@code call} back; the model should answer in text. */
    Answer toolResult(String model, boolean stream, Answer.ToolCall call);
}
