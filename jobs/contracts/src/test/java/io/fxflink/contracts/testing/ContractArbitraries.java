package io.fxflink.contracts.testing;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.PackageRef;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.MatchType;
import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.contracts.link.ServiceVersionSpec;
import io.fxflink.contracts.link.WeightedVersion;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.ExecutionStatus;
import io.fxflink.contracts.ops.LogLevel;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;

/** jqwik generators of valid records (any field within its documented bounds). */
public final class ContractArbitraries {
    private ContractArbitraries() {}

    public static Arbitrary<String> names() {
        Arbitrary<Character> first = Arbitraries.chars().alpha().numeric();
        Arbitrary<String> rest =
                Arbitraries.strings().alpha().numeric().withChars("._-").ofMaxLength(40);
        return Combinators.combine(first, rest).as((f, r) -> f + r);
    }

    /**
     * Ids: any non-blank text the contract allows, including quotes, backslashes and non-ASCII
     * (control characters are refused: see ChecksTest).
     */
    public static Arbitrary<String> ids() {
        return text(1, 256).filter(s -> !s.isBlank());
    }

    public static Arbitrary<String> text(int min, int max) {
        return Arbitraries.strings()
                .withCharRange('\u0020', '\u007e')
                .withCharRange('\u00a0', '\ud7ff')
                .withCharRange('\ue000', '\ufffd')
                .ofMinLength(min)
                .ofMaxLength(max);
    }

    public static Arbitrary<Instant> instants() {
        return Combinators.combine(
                        Arbitraries.longs().between(0, 4_102_444_800L),
                        Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    public static Arbitrary<String> sha256() {
        return Arbitraries.bytes()
                .array(byte[].class)
                .ofSize(32)
                .map(b -> HexFormat.of().formatHex(b));
    }

    public static Arbitrary<Link> links() {
        Arbitrary<List<WeightedVersion>> weighted =
                Combinators.combine(names(), Arbitraries.integers().between(1, 10_000))
                        .as(WeightedVersion::new)
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(5)
                        .uniqueElements(WeightedVersion::version);
        Arbitrary<String> filters =
                Arbitraries.of("subject = 'eu'", "EXISTS fxdepth AND fxdepth < 5", "TRUE")
                        .injectNull(0.5);
        return Builders.withBuilder(() -> new Object[11])
                .use(ids())
                .in((a, v) -> set(a, 0, v))
                .use(Arbitraries.longs().between(1, Long.MAX_VALUE))
                .in((a, v) -> set(a, 1, v))
                .use(ids())
                .in((a, v) -> set(a, 2, v))
                .use(ids())
                .in((a, v) -> set(a, 3, v))
                .use(Arbitraries.of(MatchType.class))
                .in((a, v) -> set(a, 4, v))
                .use(filters)
                .in((a, v) -> set(a, 5, v))
                .use(names())
                .in((a, v) -> set(a, 6, v))
                .use(Arbitraries.oneOf(names().map(n -> (Object) n), weighted.map(w -> (Object) w)))
                .in((a, v) -> set(a, 7, v))
                .use(Arbitraries.of(true, false))
                .in((a, v) -> set(a, 9, v))
                .use(instants())
                .in((a, v) -> set(a, 10, v))
                .build(ContractArbitraries::toLink);
    }

    @SuppressWarnings("unchecked")
    private static Link toLink(Object[] a) {
        boolean single = a[7] instanceof String;
        return new Link(
                (String) a[0],
                (Long) a[1],
                (String) a[2],
                (String) a[3],
                (MatchType) a[4],
                (String) a[5],
                (String) a[6],
                single ? (String) a[7] : null,
                single ? null : (List<WeightedVersion>) a[7],
                (Boolean) a[9],
                (Instant) a[10]);
    }

    private static Object[] set(Object[] a, int i, Object v) {
        a[i] = v;
        return a;
    }

    public static Arbitrary<ServiceVersionSpec> versionSpecs() {
        return Combinators.combine(
                        text(1, 200).filter(s -> !s.isBlank()),
                        sha256(),
                        Arbitraries.of(ServiceRuntime.class),
                        Arbitraries.longs().between(1, ServiceVersionSpec.MAX_TIMEOUT_MS),
                        Arbitraries.integers().between(0, ServiceVersionSpec.MAX_RETRIES),
                        Arbitraries.longs().between(0, 60_000),
                        Arbitraries.integers().between(1, ServiceVersionSpec.MAX_CONCURRENCY),
                        Arbitraries.integers().between(1, 10))
                .flatAs(
                        (key, sha, rt, timeout, retries, backoff, conc, prio) ->
                                names().list()
                                        .ofMaxSize(4)
                                        .map(
                                                eps ->
                                                        new ServiceVersionSpec(
                                                                key, sha, rt, timeout, retries,
                                                                backoff, conc, prio, eps)));
    }

    public static Arbitrary<ServiceConfig> serviceConfigs() {
        Arbitrary<Map<String, ServiceVersionSpec>> versions =
                Arbitraries.maps(names(), versionSpecs()).ofMaxSize(3);
        return Combinators.combine(
                        names(),
                        Arbitraries.longs().between(1, Long.MAX_VALUE),
                        ids(),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.of("0 * * * *", "*/5 * * * *").injectNull(0.5),
                        versions)
                .as(
                        (name, version, project, active, manual, schedule, vs) ->
                                new ServiceConfig(
                                        name,
                                        version,
                                        project,
                                        active,
                                        manual,
                                        schedule,
                                        vs.isEmpty() ? null : vs.keySet().iterator().next(),
                                        vs));
    }

    public static Arbitrary<TriggerEvent> triggerEvents() {
        Arbitrary<Map<String, String>> ext =
                Arbitraries.maps(
                                Arbitraries.strings()
                                        .withCharRange('a', 'z')
                                        .numeric()
                                        .ofMinLength(1)
                                        .ofMaxLength(20)
                                        .filter(
                                                n ->
                                                        !n.equals("id")
                                                                && !n.equals("type")
                                                                && !n.equals("time")
                                                                && !n.equals("data")
                                                                && !n.equals("source")
                                                                && !n.equals("subject")),
                                text(0, 50))
                        .ofMaxSize(5);
        Arbitrary<OffsetDateTime> times =
                Combinators.combine(instants(), Arbitraries.integers().between(-18, 18))
                        .as((i, h) -> i.atOffset(ZoneOffset.ofHours(h)))
                        .injectNull(0.2);
        return Combinators.combine(
                        ids(),
                        Arbitraries.of("urn:test", "https://example.com/x", "/relative"),
                        ids(),
                        text(0, 100).injectNull(0.5),
                        times,
                        Arbitraries.of("application/json", "text/plain").injectNull(0.3),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(300).injectNull(0.2),
                        ext)
                .as(
                        (id, src, type, subj, time, ct, data, e) ->
                                new TriggerEvent(id, src, type, subj, time, ct, null, data, e));
    }

    public static Arbitrary<ExecutionRequest> executionRequests() {
        return Combinators.combine(
                        ids(),
                        ids().injectNull(0.3),
                        names(),
                        names(),
                        Combinators.combine(text(1, 100).filter(s -> !s.isBlank()), sha256())
                                .as(PackageRef::new),
                        Arbitraries.of(ServiceRuntime.class),
                        triggerEvents(),
                        Arbitraries.integers().between(1, 1000))
                .flatAs(
                        (id, link, svc, ver, pkg, rt, trig, attempt) ->
                                Combinators.combine(
                                                instants(),
                                                Arbitraries.integers().between(0, 10_000),
                                                Arbitraries.of("00-abc-def-01").injectNull(0.5),
                                                Arbitraries.integers().between(1, 10),
                                                Arbitraries.longs().between(1, 3_600_000),
                                                Arbitraries.integers().between(0, 100),
                                                Arbitraries.longs().between(0, 60_000),
                                                instants())
                                        .as(
                                                (deadline,
                                                        depth,
                                                        tp,
                                                        prio,
                                                        timeout,
                                                        retries,
                                                        backoff,
                                                        created) ->
                                                        new ExecutionRequest(
                                                                id, link, svc, ver, pkg, rt, trig,
                                                                attempt, deadline, depth, tp, prio,
                                                                timeout, retries, backoff,
                                                                created)));
    }

    public static Arbitrary<OpsLogRecord> opsLogs() {
        return Combinators.combine(
                        ids(),
                        names(),
                        names(),
                        Arbitraries.integers().between(1, 1000),
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        text(1, 50).injectNull(0.3),
                        Arbitraries.of(LogLevel.class),
                        instants())
                .flatAs(
                        (exec, svc, ver, attempt, seq, step, level, time) ->
                                text(0, 2000)
                                        .map(
                                                msg ->
                                                        OpsLogRecord.of(
                                                                exec, svc, ver, attempt, seq, step,
                                                                level, time, msg)));
    }

    public static Arbitrary<ExecutionLifecycleRecord> lifecycleRecords() {
        return Combinators.combine(
                        ids(),
                        names(),
                        names(),
                        Arbitraries.of(ExecutionStatus.class),
                        Arbitraries.integers().between(1, 1000),
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        instants(),
                        Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.5))
                .flatAs(
                        (exec, svc, ver, status, attempt, seq, time, dur) ->
                                Combinators.combine(
                                                ids(),
                                                ids(),
                                                ids().injectNull(0.5),
                                                ids(),
                                                Arbitraries.integers().between(0, 10_000),
                                                text(0, 500).injectNull(0.5),
                                                ids().injectNull(0.3))
                                        .as(
                                                (tid, ttype, cause, root, depth, err, executor) ->
                                                        new ExecutionLifecycleRecord(
                                                                exec + "/s" + seq,
                                                                exec,
                                                                svc,
                                                                ver,
                                                                status,
                                                                attempt,
                                                                seq,
                                                                time,
                                                                dur,
                                                                tid,
                                                                ttype,
                                                                cause,
                                                                root,
                                                                depth,
                                                                err,
                                                                executor)));
    }

    public static Arbitrary<MetricRecord> metrics() {
        return Combinators.combine(
                        ids(),
                        Arbitraries.maps(names(), text(0, 40)).ofMaxSize(5),
                        Arbitraries.doubles(),
                        instants())
                .as(MetricRecord::new);
    }

    public static Arbitrary<DeadLetterRecord> deadLetters() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(500);
        return Combinators.combine(
                        Arbitraries.of(DeadLetterStage.class),
                        text(1, 300).filter(s -> !s.isBlank()),
                        Arbitraries.of("fx.events", "fx.executions").injectNull(0.2),
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        instants(),
                        bytes.injectNull(0.3),
                        bytes.injectNull(0.1))
                .flatAs(
                        (stage, reason, topic, part, off, time, key, value) ->
                                Arbitraries.maps(names(), bytes)
                                        .ofMaxSize(4)
                                        .map(
                                                h ->
                                                        DeadLetterRecord.ofConsumed(
                                                                stage,
                                                                reason,
                                                                topic,
                                                                topic == null ? -1 : part,
                                                                topic == null ? -1 : off,
                                                                time,
                                                                key,
                                                                value,
                                                                h)));
    }
}
