package io.fxflink.executor.bench;

import io.fxflink.executor.api.FxContext;
import io.fxflink.executor.api.FxService;

/**
 * The service {@link JvmServiceBench} runs: reads its parameters and computes. Its class file is
 * copied into a package jar, so it is loaded by a package class loader like any JVM service.
 */
public final class TrivialService implements FxService {
    @Override
    public void run(FxContext ctx) {
        Object n = ctx.params().get("n");
        if (!(n instanceof Number)) {
            throw new IllegalArgumentException("n missing");
        }
    }
}
