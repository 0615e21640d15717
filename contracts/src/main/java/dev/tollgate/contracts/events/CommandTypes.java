package dev.tollgate.contracts.events;

import java.util.Map;

/** The wire names of command types; closed, like {@link Command}. */
public final class CommandTypes {

    static final Map<String, Class<? extends Command>> BY_NAME = Map.ofEntries(
            Map.entry("user.create", Command.CreateUser.class),
            Map.entry("user.update", Command.UpdateUser.class),
            Map.entry("user.topup", Command.TopUp.class),
            Map.entry("user.totp", Command.SetTotp.class),
            Map.entry("user.totp_step", Command.UseTotpStep.class),
            Map.entry("session.revoke", Command.RevokeSession.class),
            Map.entry("session.revoke_all", Command.RevokeSessions.class),
            Map.entry("key.create", Command.CreateKey.class),
            Map.entry("key.update", Command.UpdateKey.class),
            Map.entry("key.rotate", Command.RotateKey.class),
            Map.entry("channel.create", Command.CreateChannel.class),
            Map.entry("channel.update", Command.UpdateChannel.class),
            Map.entry("channel.auto_disable", Command.AutoDisableChannel.class),
            Map.entry("price.set", Command.SetPrice.class),
            Map.entry("group.set", Command.SetGroup.class),
            Map.entry("redemption.create", Command.CreateRedemptionCodes.class),
            Map.entry("redemption.redeem", Command.RedeemCode.class),
            Map.entry("settings.set", Command.SetSettings.class),
            Map.entry("secrets.reencrypt", Command.ReencryptSecrets.class));

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
