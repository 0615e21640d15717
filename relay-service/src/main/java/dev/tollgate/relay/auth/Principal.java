package dev.tollgate.relay.auth;

import dev.tollgate.relay.snapshot.KeyState;
import dev.tollgate.relay.snapshot.UserState;
import java.util.ArrayList;
import java.util.List;

/** Who is calling: the key, its user, and the group the request is priced and routed in. */
public record Principal(KeyState key, UserState user, String group) {

    public long keyId() {
        return key.id();
    }

    public long userId() {
        return user.id();
    }

    /** The groups whose channels may serve the request, in order: the group, then the key's fallback group if any. */
    public List<String> routingGroups() {
        List<String> groups = new ArrayList<>(2);
        if (group != null) {
            groups.add(group);
        }
        String fallback = key.fallbackGroup();
        if (fallback != null && !fallback.equals(group)) {
            groups.add(fallback);
        }
        return List.copyOf(groups);
    }
}
