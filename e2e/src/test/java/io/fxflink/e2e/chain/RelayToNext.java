package io.fxflink.e2e.chain;

import io.fxflink.executor.api.FxContext;
import io.fxflink.executor.api.FxService;

/** First link of the benchmark chain: passes its trigger's data on as {@code fxbench.e2e.next}. */
public final class RelayToNext implements FxService {
    @Override
    public void run(FxContext ctx) {
        ctx.events().send(ChainPackages.NEXT_TYPE, ctx.params());
    }
}
