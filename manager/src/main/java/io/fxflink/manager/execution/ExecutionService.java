package io.fxflink.manager.execution;

import io.fxflink.manager.access.Principal;
import io.fxflink.manager.access.Role;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Db;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Executions from PostgreSQL, their logs from Elasticsearch, limited to the caller's projects. */
public final class ExecutionService {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionService.class);

    private final Db db;
    private final LogSearch logs;
    private final ExecutionRepository repo = new ExecutionRepository();

    public ExecutionService(Db db, LogSearch logs) {
        this.db = db;
        this.logs = logs;
    }

    List<ExecutionView> list(Principal caller, ExecutionFilter filter) {
        var projects = caller.projectsWith(Role.VIEWER);
        return db.read(c -> repo.list(c, filter, projects));
    }

    ExecutionView get(Principal caller, String id) {
        var projects = caller.projectsWith(Role.VIEWER);
        return db.read(c -> repo.find(c, id, projects))
                .orElseThrow(() -> ApiException.notFound("execution '" + id + "' not found"));
    }

    /** Every execution the execution's trigger event caused, from its root event down. */
    List<ExecutionView> chain(Principal caller, String id) {
        ExecutionView e = get(caller, id);
        String root = e.rootEventId() != null ? e.rootEventId() : e.triggerEventId();
        return causedBy(caller, root);
    }

    List<ExecutionView> causedBy(Principal caller, String eventId) {
        var projects = caller.projectsWith(Role.VIEWER);
        return db.read(c -> repo.causedBy(c, eventId, projects));
    }

    LogSearch.Page logs(Principal caller, String id, String level, int from, int size) {
        get(caller, id); // 404/403 before touching Elasticsearch
        if (level != null) {
            try {
                ElasticsearchLogSearch.levelsFrom(level);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        try {
            return logs.logs(id, level, from, size);
        } catch (Exception e) {
            LOG.warn("Log search for execution {} failed: {}", id, e.getMessage());
            throw ApiException.unavailable("log search failed: " + e.getMessage());
        }
    }

    static Map<String, Object> page(LogSearch.Page p, int from, int size) {
        return Map.of("total", p.total(), "from", from, "size", size, "records", p.records());
    }
}
