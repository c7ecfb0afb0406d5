package io.fxflink.jobs.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.testing.ContractFixtures;
import io.fxflink.jobs.deadletter.DeadLetters;
import io.fxflink.jobs.testing.FlinkMiniCluster;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Contract types cross the network on a MiniCluster with Kryo (generic types) disabled. */
class NoKryoPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    @Test
    void decodedValuesAndDeadLettersFlowWithoutGenericTypes() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(FlinkMiniCluster.PARALLELISM);

        DataStream<Either<DeadLetterRecord, TriggerEvent>> decoded =
                env.fromData(
                        FxTypes.orDeadLetter(FxTypes.TRIGGER_EVENT),
                        Either.Right(ContractFixtures.triggerEvent("e-1")),
                        Either.Left(ContractFixtures.deadLetter("fx.events", 5)),
                        Either.Right(ContractFixtures.triggerEvent("e-2")));
        SingleOutputStreamOperator<TriggerEvent> events =
                DeadLetters.split(decoded.rebalance(), FxTypes.TRIGGER_EVENT, "split-test");
        DataStream<String> ids = events.rebalance().map(TriggerEvent::id).returns(Types.STRING);
        DataStream<String> deadLetters =
                events.getSideOutput(DeadLetters.TAG)
                        .rebalance()
                        .map(d -> "dead:" + d.recordId())
                        .returns(Types.STRING);

        List<String> out = ids.union(deadLetters).executeAndCollect(10);

        assertThat(out).containsExactlyInAnyOrder("e-1", "e-2", "dead:fx.events/0/5");
    }
}
