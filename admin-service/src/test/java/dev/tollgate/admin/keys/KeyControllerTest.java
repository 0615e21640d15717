package dev.tollgate.admin.keys;

import static dev.tollgate.admin.web.ApiAssertions.assertApi;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.auth.Role;
import org.junit.jupiter.api.Test;

class KeyControllerTest {

    private static final Caller CUSTOMER = new Caller(5, Role.CUSTOMER);
    private static final Caller ADMIN = new Caller(1, Role.ADMIN);

    @Test
    void shouldRefuseACustomerWhenTheGroupIsNotTheirOwn() {
        assertApi(() -> KeyController.groupToSend(CUSTOMER, "default", "vip", null), 403, "forbidden");
        assertApi(() -> KeyController.groupToSend(CUSTOMER, "default", "Default", null), 403, "forbidden");
        assertApi(() -> KeyController.groupToSend(CUSTOMER, "default", "vip", "vip"), 403, "forbidden");
    }

    @Test
    void shouldLeaveACustomersKeyFollowingThemWhenTheyNameTheirOwnGroup() {
        assertThat(KeyController.groupToSend(CUSTOMER, "default", null, null)).isNull();
        assertThat(KeyController.groupToSend(CUSTOMER, "default", "default", null)).isNull();
        assertThat(KeyController.groupToSend(CUSTOMER, "default", "default", "vip"))
                .as("a key an admin put elsewhere can only be moved back by naming the group")
                .isEqualTo("default");
    }

    @Test
    void shouldSendAnAdminsGroupAsGivenWhenAnAdminNamesOne() {
        assertThat(KeyController.groupToSend(ADMIN, "default", "vip", null)).isEqualTo("vip");
        assertThat(KeyController.groupToSend(ADMIN, "default", "default", null)).isEqualTo("default");
        assertThat(KeyController.groupToSend(ADMIN, "default", null, "vip")).isNull();
    }

    @Test
    void shouldLetOnlyAnAdminNameAnotherFallbackGroupWhenOneIsAsked() {
        assertApi(() -> KeyController.fallbackToSend(CUSTOMER, "default", "vip"), 403, "forbidden");
        assertThat(KeyController.fallbackToSend(CUSTOMER, "default", "default")).isEqualTo("default");
        assertThat(KeyController.fallbackToSend(CUSTOMER, "default", null)).isNull();
        assertThat(KeyController.fallbackToSend(ADMIN, "default", "vip")).isEqualTo("vip");
    }
}
