package dev.tollgate.relay.auth;

import dev.tollgate.relay.snapshot.KeyState;
import dev.tollgate.relay.snapshot.UserState;

/** Who is calling: the key, its user, and the group the request is priced and routed in. */
public record Principal(KeyState key, UserState user, String group) {

    public long keyId() {
        return key.id();
    }

    public long userId() {
        return user.id();
    }
}
