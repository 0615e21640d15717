package dev.tollgate.admin.logs;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.admin.web.Paging;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The request log: an admin sees all of it, a customer only their own requests, with the bodies their keys
 * captured.
 */
@RestController
public class LogController {

    /** What the ledger accepts as a request id; anything else cannot be logged, so it is not looked up. */
    private static final Pattern REQUEST_ID = Pattern.compile("[\\x21-\\x7E]{1,40}");

    private final LogRepository logs;

    public LogController(LogRepository logs) {
        this.logs = logs;
    }

    /** Newest first; {@code total} stops at {@link LogPage#COUNT_CAP} with {@code totalCapped} (a filter narrows). */
    @GetMapping("/api/logs")
    public Mono<LogPage> list(Caller caller, @RequestParam(required = false) Long userId,
            @RequestParam(required = false) Long keyId, @RequestParam(required = false) String model,
            @RequestParam(required = false) Long channelId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        LogFilter filter = LogFilter.of(caller, userId, keyId, model, channelId, from, to, status);
        return logs.find(filter, Paging.of(page, size));
    }

    /** One request with its captured bodies; 404 for a request that is not the caller's to see. */
    @GetMapping("/api/logs/{requestId}")
    public Mono<LogDetailView> get(Caller caller, @PathVariable String requestId) {
        if (!REQUEST_ID.matcher(requestId).matches()) {
            return Mono.error(ApiException.notFound("request"));
        }
        return logs.findOne(requestId, caller.isAdmin() ? null : caller.userId())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("request")));
    }
}
