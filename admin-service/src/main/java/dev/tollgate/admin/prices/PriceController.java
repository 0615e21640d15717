package dev.tollgate.admin.prices;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.commands.WriteRequest;
import dev.tollgate.admin.db.ReadBack;
import dev.tollgate.admin.users.RateLimitFields;
import dev.tollgate.admin.users.UserRequests;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Model prices and group multipliers. Model names may hold {@code /} and {@code :}, so the model is
 * the rest of the path (URL-encoded or not).
 */
@RestController
public class PriceController {

    private final PriceRepository prices;
    private final CommandGateway gateway;

    public PriceController(PriceRepository prices, CommandGateway gateway) {
        this.prices = prices;
        this.gateway = gateway;
    }

    /**
     * A group set whole: its multiplier and its rate limits over all its users together ({@code rpmLimit},
     * {@code tpmLimit}: absent or null = no limit, so a PUT without them removes them).
     */
    public record GroupRequest(Long multiplierBp, Integer rpmLimit, Long tpmLimit) {

        GroupRequest validate() {
            if (multiplierBp == null) {
                throw ApiException.invalid("multiplierBp", "is required");
            }
            if (multiplierBp < 0) {
                throw ApiException.invalid("multiplierBp", "must not be negative");
            }
            RateLimitFields.check(rpmLimit, tpmLimit);
            return this;
        }
    }

    @PutMapping("/api/prices/{*model}")
    public Mono<PriceView> setPrice(Caller caller, WriteRequest write, @PathVariable("model") String path,
            @RequestBody PriceRequest body) {
        caller.requireAdmin();
        String model = PriceRequest.checkModel(stripSlash(path));
        body.validate();
        String commandId = write.commandId(caller.actor());
        return gateway.send(body.toCommand(model), commandId, write.fingerprint(body), caller.actor())
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.committed(priceOf(result, model)));
    }

    @GetMapping("/api/prices")
    public Mono<Page<PriceView>> list(Caller caller, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return prices.latestAll(Paging.of(page, size));
    }

    @GetMapping("/api/prices/{*model}")
    public Mono<PriceView> get(Caller caller, @PathVariable("model") String path) {
        String model = PriceRequest.checkModel(stripSlash(path));
        return prices.latest(model)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("price")));
    }

    @PutMapping("/api/groups/{name}")
    public Mono<GroupView> setGroup(Caller caller, WriteRequest write, @PathVariable String name,
            @RequestBody GroupRequest body) {
        caller.requireAdmin();
        UserRequests.checkGroup(name);
        body.validate();
        String commandId = write.commandId(caller.actor());
        return gateway.send(new Command.SetGroup(name, body.multiplierBp(), body.rpmLimit(), body.tpmLimit()), commandId, write.fingerprint(body),
                        caller.actor())
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.committed(prices.group(name)));
    }

    /** An admin sees every group; a customer only their own. */
    @GetMapping("/api/groups")
    public Mono<Page<GroupView>> groups(Caller caller, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        if (caller.isAdmin()) {
            return prices.groups(null, paging);
        }
        return prices.userGroup(caller.userId())
                .flatMap(group -> prices.groups(group, paging));
    }

    private Mono<PriceView> priceOf(Change.CommandResult result, String model) {
        // The ledger names the price version it wrote; fall back to the newest if it names another counter.
        return result.version() > 0
                ? prices.version(model, result.version()).switchIfEmpty(prices.latest(model))
                : prices.latest(model);
    }

    private static String stripSlash(String path) {
        return path != null && path.startsWith("/") ? path.substring(1) : path;
    }
}
