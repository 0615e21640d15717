package dev.tollgate.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CapturedTextTest {

    @Test
    void shouldKeepTheWholeTextWhenItFitsTheCapExactly() {
        byte[] body = "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8); // 10 bytes

        assertThat(CapturedText.cut(body, 10)).isEqualTo(new CapturedText("{\"a\":\"é\"}", false));
        assertThat(CapturedText.cut(body, 9).truncated()).isTrue();
    }

    @Test
    void shouldCutBeforeACharacterTheCapWouldSplitWhenItIsTwoThreeOrFourBytes() {
        // "a" + é (2 bytes) + € (3 bytes) + 😀 (4 bytes) = 10 bytes
        byte[] text = "aé€😀".getBytes(StandardCharsets.UTF_8);
        assertThat(text).hasSize(10);

        assertThat(CapturedText.cut(text, 1).text()).isEqualTo("a");
        assertThat(CapturedText.cut(text, 2).text()).as("inside é").isEqualTo("a");
        assertThat(CapturedText.cut(text, 3).text()).isEqualTo("aé");
        assertThat(CapturedText.cut(text, 4).text()).as("inside €").isEqualTo("aé");
        assertThat(CapturedText.cut(text, 5).text()).as("inside €").isEqualTo("aé");
        assertThat(CapturedText.cut(text, 6).text()).isEqualTo("aé€");
        assertThat(CapturedText.cut(text, 7).text()).as("inside 😀").isEqualTo("aé€");
        assertThat(CapturedText.cut(text, 9).text()).as("inside 😀").isEqualTo("aé€");
        assertThat(CapturedText.cut(text, 0)).isEqualTo(new CapturedText("", true));
        for (int cap = 0; cap < text.length; cap++) {
            CapturedText cut = CapturedText.cut(text, cap);
            assertThat(cut.truncated()).isTrue();
            assertThat(cut.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(cap);
            assertThat(cut.text()).doesNotContain("\uFFFD");
        }
    }

    @Test
    void shouldCutWhereTheCapSaysWhenTheBytesAreNotUtf8() {
        byte[] garbage = {'a', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};

        CapturedText cut = CapturedText.cut(garbage, 5);

        assertThat(cut.truncated()).isTrue();
        assertThat(cut.text()).startsWith("a").hasSize(5); // a + four U+FFFD
    }

    @Test
    void shouldCutStringsByTheirUtf8BytesNotTheirCharacters() {
        String short3 = "€€";         // 2 characters, 6 bytes
        String long8 = "€€€€€€€€";    // 8 characters, 24 bytes

        assertThat(CapturedText.cut(short3, 6)).isEqualTo(new CapturedText("€€", false));
        assertThat(CapturedText.cut(long8, 10)).isEqualTo(new CapturedText("€€€", true));
        assertThat(CapturedText.cut("plain", 16_384)).isEqualTo(new CapturedText("plain", false));
        assertThatThrownBy(() -> CapturedText.cut(new byte[1], -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
