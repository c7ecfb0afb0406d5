package io.fxflink.opssink.rollup;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Emits the full rollup of one service's minute each time the window fires: on time, and again for
 * every late outcome within the allowed lateness. Each firing carries the complete totals, so the
 * upsert simply overwrites the row.
 */
public final class MinuteRollupFunction
        extends ProcessWindowFunction<RollupInput, MinuteRollup, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String service,
            Context context,
            Iterable<RollupInput> elements,
            Collector<MinuteRollup> out) {
        List<RollupInput> all = new ArrayList<>();
        elements.forEach(all::add);
        out.collect(MinuteRollups.compute(service, context.window().getStart(), all));
    }
}
