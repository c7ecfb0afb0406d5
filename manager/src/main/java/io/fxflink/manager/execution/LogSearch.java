package io.fxflink.manager.execution;

import java.util.List;
import java.util.Map;

/** Log records of executions (Elasticsearch in production). */
public interface LogSearch extends AutoCloseable {
    /** One page of log documents, oldest first. */
    record Page(long total, List<Map<String, Object>> records) {}

    /**
     * @param minLevel TRACE..ERROR, or null for every level
     */
    Page logs(String executionId, String minLevel, int from, int size) throws Exception;

    void check() throws Exception;

    @Override
    default void close() {}
}
