package dev.tollgate.admin.auth;

import dev.tollgate.admin.web.ApiException;

/** The signed-in user of a request, resolved by {@link AuthWebFilter} and injected into handlers. */
public record Caller(long userId, Role role) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** @throws ApiException 403 {@code forbidden} for a customer */
    public void requireAdmin() {
        if (!isAdmin()) {
            throw ApiException.forbidden();
        }
    }

    /** An admin sees everyone; a customer only themself (others answer 404, so ids don't leak). */
    public boolean maySee(long ownerUserId) {
        return isAdmin() || ownerUserId == userId;
    }

    /** The actor named on commands. */
    public String actor() {
        return "user:" + userId;
    }
}
