package dev.tollgate.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthWebFilterTest {

    @Test
    void shouldProtectApiPathsExceptLoginWhenMatchingPaths() {
        assertThat(AuthWebFilter.isProtected("/api/users")).isTrue();
        assertThat(AuthWebFilter.isProtected("/api")).isTrue();
        assertThat(AuthWebFilter.isProtected("/api/auth/login")).isFalse();
        assertThat(AuthWebFilter.isProtected("/api/auth/register")).isFalse();
        assertThat(AuthWebFilter.isProtected("/api/auth/options")).isFalse();
        assertThat(AuthWebFilter.isProtected("/api/auth/other")).isTrue();
        assertThat(AuthWebFilter.isProtected("/api/settings")).isTrue();
        assertThat(AuthWebFilter.isProtected("/api/live/stream")).isTrue();
        assertThat(AuthWebFilter.isProtected("/")).isFalse();
        assertThat(AuthWebFilter.isProtected("/actuator/health/readiness")).isFalse();
        assertThat(AuthWebFilter.isProtected("/apiary")).isFalse();
    }

    @Test
    void shouldGenerateStrongPasswordWhenNoneConfigured() {
        String a = AdminBootstrapper.generatePassword();
        String b = AdminBootstrapper.generatePassword();

        assertThat(a).hasSize(24).isNotEqualTo(b).matches("[A-Za-z0-9]+");
    }
}
