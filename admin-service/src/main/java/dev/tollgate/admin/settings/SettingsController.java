package dev.tollgate.admin.settings;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.commands.WriteRequest;
import dev.tollgate.admin.db.ReadBack;
import dev.tollgate.contracts.events.Command;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Gateway settings: everyone signed in may read them (the playground needs the relay URL), only an admin sets them. */
@RestController
public class SettingsController {

    private final SettingsRepository settings;
    private final CommandGateway gateway;

    public SettingsController(SettingsRepository settings, CommandGateway gateway) {
        this.settings = settings;
        this.gateway = gateway;
    }

    @GetMapping("/api/settings")
    public Mono<SettingsView> get(Caller caller) {
        return settings.current();
    }

    @PutMapping("/api/settings")
    public Mono<SettingsView> put(Caller caller, WriteRequest write, @RequestBody SettingsRequest body) {
        caller.requireAdmin();
        Command.SetSettings command = new Command.SetSettings(body.toValues());
        return gateway.send(command, write.commandId(caller.actor()), write.fingerprint(body), caller.actor())
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.atVersion(settings.current(), SettingsView::version, result.version()));
    }
}
