package dev.tollgate.admin.logs;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The request log: an admin sees all of it, a customer only their own requests. */
@RestController
public class LogController {

    private final LogRepository logs;

    public LogController(LogRepository logs) {
        this.logs = logs;
    }

    @GetMapping("/api/logs")
    public Mono<Page<LogView>> list(Caller caller, @RequestParam(required = false) Long userId,
            @RequestParam(required = false) Long keyId, @RequestParam(required = false) String model,
            @RequestParam(required = false) Long channelId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        LogFilter filter = LogFilter.of(caller, userId, keyId, model, channelId, from, to, status);
        return logs.find(filter, Paging.of(page, size));
    }
}
