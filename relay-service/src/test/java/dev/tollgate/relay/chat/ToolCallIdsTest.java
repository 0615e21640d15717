package dev.tollgate.relay.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolCallIdsTest {

    /** Base64 as Google's signatures are: {@code +}, {@code /} and padding, which ids may not carry. */
    private static final String SIGNATURE = "CiQBjz1rX+sim/call/signature+Zm9vYmFy/w==";

    @Test
    void shouldFoldTheSignatureIntoAnIdOfIdCharactersOnlyAndGetBothBackWhenDecoding() {
        String id = ToolCallIds.encode("call_r1_0", SIGNATURE);

        assertThat(id).isEqualTo("call_r1_0__thought__Q2lRQmp6MXJYK3NpbS9jYWxsL3NpZ25hdHVyZStabTl2WW1GeS93PT0");
        // Anthropic's pattern for tool_use ids; OpenAI takes any string.
        assertThat(id).matches("^[a-zA-Z0-9_-]+$");
        assertThat(ToolCallIds.decode(id)).isEqualTo(new ToolCallIds.Decoded("call_r1_0", SIGNATURE));
        assertThat(ToolCallIds.plainId(id)).isEqualTo("call_r1_0");
    }

    @Test
    void shouldLeaveTheIdAsItIsWhenThereIsNoSignature() {
        assertThat(ToolCallIds.encode("toolu_01A", null)).isEqualTo("toolu_01A");
        assertThat(ToolCallIds.encode("toolu_01A", "")).isEqualTo("toolu_01A");
        assertThat(ToolCallIds.encode(null, SIGNATURE)).isNull();
        assertThat(ToolCallIds.decode("toolu_01A")).isEqualTo(new ToolCallIds.Decoded("toolu_01A", null));
        assertThat(ToolCallIds.decode(null)).isEqualTo(new ToolCallIds.Decoded(null, null));
    }

    @Test
    void shouldFindTheSignatureWhenTheClientsOwnIdHoldsTheMarkerToo() {
        String id = ToolCallIds.encode("my__thought__id", SIGNATURE);

        assertThat(ToolCallIds.decode(id)).isEqualTo(new ToolCallIds.Decoded("my__thought__id", SIGNATURE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"__thought__c2ln", "call_1__thought__", "call_1__thought__not base64!",
            "call_1__thought__abcde", "call_1__thought__-_-_"})
    void shouldKeepAMalformedIdWholeWithoutSignatureWhenDecoding(String id) {
        // "-_-_" is base64url for bytes that are not UTF-8: not something encode made.
        assertThat(ToolCallIds.decode(id)).isEqualTo(new ToolCallIds.Decoded(id, null));
    }

    @Test
    void shouldCarryTheSignatureInTheClientIdWhenTheToolUseHasOne() {
        assertThat(new Part.ToolUse("c", "f", "{}", null, "sig").clientId()).isEqualTo("c__thought__c2ln");
        assertThat(new Part.ToolUse("c", "f", "{}", null).clientId()).isEqualTo("c");
        assertThat(new Part.ToolUse("c", "f", "{}", null, "").signature()).isNull();
    }
}
