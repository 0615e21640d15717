package dev.tollgate.admin.channels;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.commands.WriteRequest;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.events.Command;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Switches many channels on or off at once (admin only): one ledger command per channel, one after another, each
 * answered on its own, so a missing channel does not hold back the others. A retry with the same
 * {@code Idempotency-Key} repeats none of them.
 */
@RestController
public class ChannelBatchController {

    static final int MAX_IDS = 200;

    private final ChannelRepository channels;
    private final CommandGateway gateway;

    ChannelBatchController(ChannelRepository channels, CommandGateway gateway) {
        this.channels = channels;
        this.gateway = gateway;
    }

    public record BatchRequest(List<Long> ids, Boolean enabled) {
        BatchRequest validate() {
            if (ids == null || ids.isEmpty()) {
                throw ApiException.invalid("ids", "name at least one channel");
            }
            if (ids.size() > MAX_IDS || ids.stream().anyMatch(id -> id == null || id < 1)) {
                throw ApiException.invalid("ids", "1 to " + MAX_IDS + " channel ids");
            }
            if (enabled == null) {
                throw ApiException.invalid("enabled", "is required");
            }
            return this;
        }
    }

    /** One channel's outcome: {@code error} is the API error code when it was not changed. */
    public record Outcome(long id, boolean ok, String error, String message) {
    }

    public record BatchView(List<Outcome> items) {
    }

    @PostMapping("/api/channels/batch")
    public Mono<BatchView> batch(Caller caller, WriteRequest write, @RequestBody BatchRequest body) {
        caller.requireAdmin();
        body.validate();
        String base = write.commandId(caller.actor());
        String fingerprint = write.fingerprint(body);
        return Flux.fromIterable(new LinkedHashSet<>(body.ids()))
                .concatMap(id -> switchOne(caller, id, body.enabled(), base + ":" + id, fingerprint))
                .collectList()
                .map(BatchView::new);
    }

    private Mono<Outcome> switchOne(Caller caller, long id, boolean enabled, String commandId, String fingerprint) {
        Command.UpdateChannel command = new Command.UpdateChannel(id, null, null, null, null, null, null, null, null,
                null, null, enabled, null);
        return channels.findById(id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("channel")))
                .flatMap(found -> gateway.send(command, commandId, fingerprint, caller.actor()))
                .map(CommandResults::requireOk)
                .map(result -> new Outcome(id, true, null, null))
                .onErrorResume(ApiException.class, e -> Mono.just(new Outcome(id, false, e.code(), e.getMessage())));
    }

}
