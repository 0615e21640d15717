package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.relay.snapshot.KeyState;
import dev.tollgate.relay.snapshot.UserState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A stored response is shown only for a model the key may use, under any name the channel knows it by. */
class ResponsesStoreHandlerTest {

    private static final Channel CHANNEL = new Channel(1, "c", "azure", "http://x", "k",
            Map.of("deployments", Map.of("gpt-4.1", "gpt41-prod")), Set.of("gpt-4.1", "mini"),
            Map.of("mini", "gpt-4.1-mini"), Set.of("default"), 0, 1, true, false, false, 1);

    private static Principal key(Set<String> models) {
        return new Principal(new KeyState(7, 1, "hash", null, null, 0, models, List.of(), null, true, false, 1),
                new UserState(1, "default", true, 1, true, 0, 1, true), "default");
    }

    private static boolean shown(String body, Set<String> models) {
        return ResponsesStoreHandler.modelAllowed(body.getBytes(StandardCharsets.UTF_8), CHANNEL, key(models));
    }

    @Test
    void shouldShowAResponseWhoseModelTheKeyMayUseByAnyOfItsNames() {
        assertThat(shown("{\"object\":\"response\",\"model\":\"gpt-4.1-mini\"}", Set.of())).isTrue();
        assertThat(shown("{\"object\":\"response\",\"model\":\"gpt-4.1-mini\"}", Set.of("mini"))).isTrue();
        assertThat(shown("{\"object\":\"response\",\"model\":\"gpt41-prod\"}", Set.of("gpt-4.1"))).isTrue();
        assertThat(shown("{\"object\":\"response\",\"model\":\"mini\"}", Set.of("mini"))).isTrue();
    }

    @Test
    void shouldHideAResponseWhoseModelTheKeyMayNotUse() {
        assertThat(shown("{\"object\":\"response\",\"model\":\"gpt-4.1-mini\"}", Set.of("gpt-4.1"))).isFalse();
        assertThat(shown("{\"object\":\"response\",\"model\":\"gpt41-prod\"}", Set.of("mini"))).isFalse();
    }

    @Test
    void shouldPassAnswersThatNameNoModel() {
        assertThat(shown("{\"object\":\"list\",\"data\":[]}", Set.of("mini"))).isTrue();
        assertThat(shown("{\"id\":\"resp_1\",\"object\":\"response\",\"deleted\":true}", Set.of("mini"))).isTrue();
    }
}
