package dev.tollgate.relay.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DialectTest {

    /** The ledger refuses a usage event whose dialect is longer than its column (request_log.dialect VARCHAR(16)). */
    @Test
    void shouldNameEveryDialectWithinTheLedgersDialectColumn() {
        for (Dialect dialect : Dialect.values()) {
            assertThat(dialect.wireName()).hasSizeLessThanOrEqualTo(16);
        }
        assertThat(Dialect.OPENAI_RESPONSES.wireName()).isEqualTo("openai_responses");
    }
}
