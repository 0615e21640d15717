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
 * Switches many channels on or off at once (admin only), named by ids or by a tag: one ledger command per channel,
 * one after another, each answered on its own, so a missing channel does not hold back the others. A retry with the
 * same {@code Idempotency-Key} repeats none of them.
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

    /** The channels by {@code ids}, or every channel carrying {@code tag} (one of the two). */
    public record BatchRequest(List<Long> ids, Boolean enabled, String tag) {
        BatchRequest validate() {
            if (tag != null && ids != null) {
                throw ApiException.invalid("tag", "name channels by ids or by a tag, not both");
            }
            if (tag != null) {
                ChannelRequest.checkTag("tag", tag);
            } else if (ids == null || ids.isEmpty()) {
                throw ApiException.invalid("ids", "name at least one channel (or a tag)");
            } else if (ids.size() > MAX_IDS || ids.stream().anyMatch(id -> id == null || id < 1)) {
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
        Mono<List<Long>> ids = body.tag() == null ? Mono.just(body.ids()) : channels.idsTagged(body.tag());
        return ids.flatMapMany(list -> Flux.fromIterable(new LinkedHashSet<>(list)))
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
