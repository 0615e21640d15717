package dev.tollgate.contracts.events;

import java.util.Map;

/** The wire names of change types; closed, like {@link Change}. */
public final class ChangeTypes {

    static final Map<String, Class<? extends Change>> BY_NAME = Map.of(
            "command.result", Change.CommandResult.class,
            "user.changed", Change.UserChanged.class,
            "balance.changed", Change.BalanceChanged.class,
            "key.changed", Change.KeyChanged.class,
            "channel.changed", Change.ChannelChanged.class,
            "price.changed", Change.PriceChanged.class,
            "group.changed", Change.GroupChanged.class,
            "session.revoked", Change.SessionsRevoked.class);

    private ChangeTypes() {
    }

    public static String typeOf(Change change) {
        for (Map.Entry<String, Class<? extends Change>> e : BY_NAME.entrySet()) {
            if (e.getValue() == change.getClass()) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("no wire name for " + change.getClass());
    }

    static Class<? extends Change> classOf(String type) {
        return BY_NAME.get(type);
    }
}
