package dev.tollgate.admin.audit;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/audit}: every write anyone asked of the ledger, newest first; admins only. */
@RestController
public class AuditController {

    private final AuditRepository audit;

    public AuditController(AuditRepository audit) {
        this.audit = audit;
    }

    @GetMapping("/api/audit")
    public Mono<Page<AuditView>> list(Caller caller, @RequestParam(required = false) String actor,
            @RequestParam(required = false) String type, @RequestParam(required = false) String target,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        caller.requireAdmin();
        return audit.find(AuditFilter.of(actor, type, target, from, to), Paging.of(page, size));
    }
}
