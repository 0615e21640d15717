package dev.tollgate.admin.users;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.tollgate.admin.web.ApiAssertions.assertInvalid;
import org.junit.jupiter.api.Test;

class UserRequestsTest {

    @Test
    void shouldDefaultRoleAndGroupWhenAbsent() {
        UserRequests.CreateUser body = new UserRequests.CreateUser("alice", "password123", null, null).validate();

        assertThat(body.roleOrDefault()).isEqualTo("customer");
        assertThat(body.groupOrDefault()).isEqualTo("default");
    }

    @Test
    void shouldNameTheFieldWhenInputIsInvalid() {
        assertInvalid(() -> new UserRequests.CreateUser(null, "password123", null, null).validate(), "username");
        assertInvalid(() -> new UserRequests.CreateUser("bob", "short", null, null).validate(), "password");
        assertInvalid(() -> new UserRequests.CreateUser("bob", "x".repeat(73), null, null).validate(), "password");
        assertInvalid(() -> new UserRequests.CreateUser("bob", "password123", "bad group", null).validate(), "group");
        assertInvalid(() -> new UserRequests.CreateUser("bob", "password123", null, "root").validate(), "role");
        assertInvalid(() -> new UserRequests.TopUp(null, "x").validate(), "amountMicros");
        assertInvalid(() -> new UserRequests.TopUp(0L, "x").validate(), "amountMicros");
        assertInvalid(() -> new UserRequests.UpdateUser(null, null, null).validate(), "body");
    }

    @Test
    void shouldNotPrintPasswordWhenRequestIsLogged() {
        assertThat(new UserRequests.CreateUser("alice", "hunter2hunter2", null, null).toString())
                .doesNotContain("hunter2");
        assertThat(new UserRequests.UpdateUser(null, null, "hunter2hunter2").toString()).doesNotContain("hunter2");
    }

    @Test
    void shouldSetOrClearRateLimitsWhenPatchNamesThem() {
        UserRequests.UpdateUser set = UserRequests.UpdateUser.parse(json("{\"rpmLimit\": 30, \"tpmLimit\": 9000}"))
                .validate();
        UserRequests.UpdateUser cleared = UserRequests.UpdateUser.parse(json("{\"rpmLimit\": null}")).validate();
        UserRequests.UpdateUser other = UserRequests.UpdateUser.parse(json("{\"enabled\": false}")).validate();

        assertThat(set.rpmLimit()).isEqualTo(30);
        assertThat(set.tpmLimit()).isEqualTo(9000L);
        assertThat(cleared.clearRpmLimit()).isTrue();
        assertThat(cleared.clearTpmLimit()).isFalse();
        assertThat(other.clearRpmLimit()).isFalse();
        assertThat(other.rpmLimit()).isNull();
        assertThat(other.enabled()).isFalse();
    }

    @Test
    void shouldRejectPatchWhenRateLimitIsBelowOneOrBodyIsEmpty() {
        assertInvalid(() -> UserRequests.UpdateUser.parse(json("{\"rpmLimit\": 0}")), "rpmLimit");
        assertInvalid(() -> UserRequests.UpdateUser.parse(json("{\"tpmLimit\": -3}")), "tpmLimit");
        assertInvalid(() -> UserRequests.UpdateUser.parse(json("{\"group\": 5}")), "group");
        assertInvalid(() -> UserRequests.UpdateUser.parse(json("{}")).validate(), "body");
    }

    private static tools.jackson.databind.node.ObjectNode json(String text) {
        return (tools.jackson.databind.node.ObjectNode) dev.tollgate.contracts.json.Json.mapper().readTree(text);
    }
}
