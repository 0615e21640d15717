package dev.tollgate.admin.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class KeyRequestsTest {

    @Test
    void shouldGraceADayByDefaultAndAtMostThirtyDaysWhenAKeyIsRotated() {
        assertThat(new KeyRequests.RotateKey(null).grace()).isEqualTo(86_400);
        assertThat(new KeyRequests.RotateKey(0L).grace()).isZero();
        assertThat(new KeyRequests.RotateKey(30L * 86_400).grace()).isEqualTo(2_592_000);
        assertThatThrownBy(() -> new KeyRequests.RotateKey(30L * 86_400 + 1).grace())
                .isInstanceOf(ApiException.class).hasMessageContaining("graceSeconds");
        assertThatThrownBy(() -> new KeyRequests.RotateKey(-1L).grace()).isInstanceOf(ApiException.class);
    }

    @Test
    void shouldClearQuotaWhenQuotaIsExplicitlyNull() {
        KeyRequests.KeyPatch patch = KeyRequests.KeyPatch.parse(json("{\"quotaMicros\": null}"));

        assertThat(patch.clearQuota()).isTrue();
        assertThat(patch.quotaMicros()).isNull();
        assertThat(patch.isEmpty()).isFalse();
    }

    @Test
    void shouldLeaveFieldsUnchangedWhenTheyAreAbsent() {
        KeyRequests.KeyPatch patch = KeyRequests.KeyPatch.parse(json("{\"name\": \"ci\"}"));

        assertThat(patch.clearQuota()).isFalse();
        assertThat(patch.clearExpiry()).isFalse();
        assertThat(patch.quotaMicros()).isNull();
        assertThat(patch.models()).isNull();
        assertThat(patch.name()).isEqualTo("ci");
        assertThat(KeyRequests.KeyPatch.parse(json("{}")).isEmpty()).isTrue();
    }

    @Test
    void shouldReadEveryFieldWhenPatchIsFull() {
        KeyRequests.KeyPatch patch = KeyRequests.KeyPatch.parse(json("{\"quotaMicros\": 5000000, "
                + "\"models\": [\"gpt-4o\"], \"allowedCidrs\": [\"10.0.0.0/8\", \"::1\"], "
                + "\"expiresAt\": \"2031-01-01T00:00:00Z\", \"enabled\": false, \"group\": \"vip\"}"));

        assertThat(patch.quotaMicros()).isEqualTo(5_000_000L);
        assertThat(patch.models()).containsExactly("gpt-4o");
        assertThat(patch.allowedCidrs()).containsExactly("10.0.0.0/8", "::1");
        assertThat(patch.expiresAt()).isEqualTo(Instant.parse("2031-01-01T00:00:00Z"));
        assertThat(patch.enabled()).isFalse();
        assertThat(patch.group()).isEqualTo("vip");
    }

    @Test
    void shouldRejectWhenFieldsHaveWrongShape() {
        var invalid = (java.util.function.Consumer<String[]>) pair -> dev.tollgate.admin.web.ApiAssertions
                .assertInvalid(() -> KeyRequests.KeyPatch.parse(json(pair[0])), pair[1]);
        invalid.accept(new String[] {"{\"quotaMicros\": -1}", "quotaMicros"});
        invalid.accept(new String[] {"{\"quotaMicros\": \"lots\"}", "quotaMicros"});
        invalid.accept(new String[] {"{\"allowedCidrs\": [\"example.com\"]}", "allowedCidrs"});
        invalid.accept(new String[] {"{\"allowedCidrs\": [\"10.0.0.0/33\"]}", "allowedCidrs"});
        invalid.accept(new String[] {"{\"expiresAt\": \"tomorrow\"}", "expiresAt"});
        invalid.accept(new String[] {"{\"enabled\": \"yes\"}", "enabled"});
        invalid.accept(new String[] {"{\"name\": \"\"}", "name"});
    }

    @Test
    void shouldAcceptCidrsWhenTheyAreLiteralAddresses() {
        assertThat(Cidrs.isValid("192.168.1.0/24")).isTrue();
        assertThat(Cidrs.isValid("2001:db8::/32")).isTrue();
        assertThat(Cidrs.isValid("127.0.0.1")).isTrue();
        assertThat(Cidrs.isValid("localhost")).isFalse();
        assertThat(Cidrs.isValid("2001:db8::/129")).isFalse();
    }

    @Test
    void shouldRejectCreateWithoutNameWhenValidating() {
        dev.tollgate.admin.web.ApiAssertions.assertInvalid(() -> new KeyRequests.CreateKey(1L, null, null, null,
                List.of(), List.of(), null, null, null, null, null, null).validate(), "name");
    }

    @Test
    void shouldReadRateLimitsAndFallbackGroupWhenCreateBodyHasThem() {
        KeyRequests.CreateKey body = Json.mapper().readValue("{\"name\": \"ci\", \"rpmLimit\": 60, "
                + "\"tpmLimit\": 100000, \"fallbackGroup\": \"default\"}", KeyRequests.CreateKey.class).validate();

        assertThat(body.rpmLimit()).isEqualTo(60);
        assertThat(body.tpmLimit()).isEqualTo(100_000L);
        assertThat(body.fallbackGroup()).isEqualTo("default");
    }

    @Test
    void shouldRejectCreateWhenRateLimitIsBelowOneOrFallbackGroupIsMalformed() {
        dev.tollgate.admin.web.ApiAssertions.assertInvalid(() -> new KeyRequests.CreateKey(1L, "ci", null, null,
                null, null, null, null, 0, null, null, null).validate(), "rpmLimit");
        dev.tollgate.admin.web.ApiAssertions.assertInvalid(() -> new KeyRequests.CreateKey(1L, "ci", null, null,
                null, null, null, null, null, -5L, null, null).validate(), "tpmLimit");
        dev.tollgate.admin.web.ApiAssertions.assertInvalid(() -> new KeyRequests.CreateKey(1L, "ci", null, null,
                null, null, null, null, null, null, "no spaces", null).validate(), "fallbackGroup");
    }

    @Test
    void shouldClearRateLimitsAndFallbackGroupWhenPatchNamesThemWithNull() {
        KeyRequests.KeyPatch patch = KeyRequests.KeyPatch.parse(json("{\"rpmLimit\": null, \"tpmLimit\": null, "
                + "\"fallbackGroup\": null}"));

        assertThat(patch.clearRpmLimit()).isTrue();
        assertThat(patch.clearTpmLimit()).isTrue();
        assertThat(patch.clearFallbackGroup()).isTrue();
        assertThat(patch.rpmLimit()).isNull();
        assertThat(patch.isEmpty()).isFalse();
    }

    @Test
    void shouldSetRateLimitsAndLeaveThemWhenPatchHasValuesOrOmitsThem() {
        KeyRequests.KeyPatch set = KeyRequests.KeyPatch.parse(json("{\"rpmLimit\": 120, \"tpmLimit\": 5000000000, "
                + "\"fallbackGroup\": \"vip\"}"));
        KeyRequests.KeyPatch absent = KeyRequests.KeyPatch.parse(json("{\"name\": \"ci\"}"));

        assertThat(set.rpmLimit()).isEqualTo(120);
        assertThat(set.tpmLimit()).isEqualTo(5_000_000_000L);
        assertThat(set.fallbackGroup()).isEqualTo("vip");
        assertThat(set.isEmpty()).isFalse();
        assertThat(absent.clearRpmLimit()).isFalse();
        assertThat(absent.clearTpmLimit()).isFalse();
        assertThat(absent.clearFallbackGroup()).isFalse();
        assertThat(absent.rpmLimit()).isNull();
    }

    @Test
    void shouldRejectPatchWhenRateLimitIsBelowOneTooBigOrNotAnInteger() {
        var invalid = (java.util.function.Consumer<String[]>) pair -> dev.tollgate.admin.web.ApiAssertions
                .assertInvalid(() -> KeyRequests.KeyPatch.parse(json(pair[0])), pair[1]);
        invalid.accept(new String[] {"{\"rpmLimit\": 0}", "rpmLimit"});
        invalid.accept(new String[] {"{\"rpmLimit\": 3000000000}", "rpmLimit"});
        invalid.accept(new String[] {"{\"rpmLimit\": 1.5}", "rpmLimit"});
        invalid.accept(new String[] {"{\"tpmLimit\": -1}", "tpmLimit"});
        invalid.accept(new String[] {"{\"tpmLimit\": \"many\"}", "tpmLimit"});
        invalid.accept(new String[] {"{\"fallbackGroup\": \"a b\"}", "fallbackGroup"});
    }

    @Test
    void shouldSwitchCaptureOnOrOffAndLeaveItWhenPatchNamesItOrNot() {
        KeyRequests.KeyPatch on = KeyRequests.KeyPatch.parse(json("{\"captureBodies\": true}"));
        KeyRequests.KeyPatch off = KeyRequests.KeyPatch.parse(json("{\"captureBodies\": false}"));
        KeyRequests.KeyPatch absent = KeyRequests.KeyPatch.parse(json("{\"name\": \"ci\"}"));

        assertThat(on.captureBodies()).isTrue();
        assertThat(on.isEmpty()).as("a patch of capture alone").isFalse();
        assertThat(off.captureBodies()).isFalse();
        assertThat(absent.captureBodies()).isNull();
        dev.tollgate.admin.web.ApiAssertions.assertInvalid(
                () -> KeyRequests.KeyPatch.parse(json("{\"captureBodies\": \"yes\"}")), "captureBodies");
        assertThat(Json.mapper().readValue("{\"name\": \"ci\", \"captureBodies\": true}", KeyRequests.CreateKey.class)
                .validate().captureBodies()).isTrue();
        assertThat(Json.mapper().readValue("{\"name\": \"ci\"}", KeyRequests.CreateKey.class).captureBodies()).isNull();
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) Json.mapper().readTree(text);
    }
}
