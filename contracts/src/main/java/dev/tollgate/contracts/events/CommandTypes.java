package dev.tollgate.contracts.events;

import java.util.Map;

/** The wire names of command types; closed, like {@link Command}. */
public final class CommandTypes {

    static final Map<String, Class<? extends Command>> BY_NAME = Map.of(
            "user.create", Command.CreateUser.class,
            "user.update", Command.UpdateUser.class,
            "user.topup", Command.TopUp.class,
            "key.create", Command.CreateKey.class,
            "key.update", Command.UpdateKey.class,
            "channel.create", Command.CreateChannel.class,
            "channel.update", Command.UpdateChannel.class,
            "price.set", Command.SetPrice.class,
            "group.set", Command.SetGroup.class);

    private CommandTypes() {
    }

    public static String typeOf(Command command) {
        for (Map.Entry<String, Class<? extends Command>> e : BY_NAME.entrySet()) {
            if (e.getValue() == command.getClass()) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("no wire name for " + command.getClass());
    }

    static Class<? extends Command> classOf(String type) {
        return BY_NAME.get(type);
    }
}
