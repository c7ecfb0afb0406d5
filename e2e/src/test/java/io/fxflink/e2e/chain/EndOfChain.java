package io.fxflink.e2e.chain;

import io.fxflink.executor.api.FxContext;
import io.fxflink.executor.api.FxService;

/** Last link of the benchmark chain: does nothing, so the chain's end is the platform's cost. */
public final class EndOfChain implements FxService {
    @Override
    public void run(FxContext ctx) {
        // nothing: its execution row's finished_at marks the chain's end
    }
}
