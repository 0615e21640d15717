package dev.tollgate.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void shouldReadTheTimeOfAUuidV7AndNothingFromOtherIds() {
        long before = System.currentTimeMillis();
        String id = Ids.uuidV7().toString();
        long after = System.currentTimeMillis();

        assertThat(Ids.uuidV7Millis(id).orElseThrow()).isBetween(before, after);
        assertThat(Ids.uuidV7Millis(UUID.randomUUID().toString())).isEmpty();
        assertThat(Ids.uuidV7Millis("not-a-uuid")).isEmpty();
        assertThat(Ids.uuidV7Millis("0190-abc")).isEmpty();
        assertThat(Ids.uuidV7Millis(null)).isEmpty();
    }
}
