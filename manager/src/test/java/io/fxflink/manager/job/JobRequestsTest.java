package io.fxflink.manager.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.manager.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRequestsTest {
    @Test
    void idsMustBeFlinkIdsSoNoPathReachesFlinksUrls() {
        assertThat(JobRequests.jobId("A".repeat(32))).isEqualTo("a".repeat(32));
        for (String bad : new String[] {null, "", "../overview", "a".repeat(31), "g".repeat(32)}) {
            assertThatThrownBy(() -> JobRequests.jobId(bad))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("32 hex digits");
        }
        assertThatThrownBy(() -> JobRequests.triggerId("x/../y"))
                .hasMessageContaining("trigger id");
    }

    @Test
    void aDeployBodyIsCheckedFieldByField() {
        JobRequests.Deploy d =
                JobRequests.deploy(
                        bytes(
                                "{\"job\":\"ops-sink\",\"programArgs\":[\"--a\",\"1\"],"
                                        + "\"parallelism\":2,\"savepointPath\":\"file:/sp\","
                                        + "\"allowNonRestoredState\":true}"));
        assertThat(d.job()).isEqualTo("ops-sink");
        assertThat(d.options().programArgs()).isEqualTo(List.of("--a", "1"));
        assertThat(d.options().parallelism()).isEqualTo(2);
        assertThat(d.options().savepointPath()).isEqualTo("file:/sp");
        assertThat(d.options().allowNonRestoredState()).isTrue();

        assertRefused("", "expected {\"job\"");
        assertRefused("[1]", "expected {\"job\"");
        assertRefused("{\"job\":1}", "'job' is required");
        assertRefused("{\"job\":\"etl\"}", "[ops-sink, router]");
        assertRefused("{\"job\":\"router\",\"jar\":\"x\"}", "unknown field 'jar'");
        assertRefused("{\"job\":\"router\",\"programArgs\":[1]}", "array of strings");
        assertRefused("{\"job\":\"router\",\"parallelism\":0}", "between 1 and 32768");
        assertRefused("{\"job\":\"router\",\"parallelism\":\"many\"}", "between 1 and 32768");
        assertRefused("{\"job\":\"router\",\"entryClass\":\"a b\"}", "fully qualified");
        assertRefused("{\"job\":\"router\",\"allowNonRestoredState\":\"maybe\"}", "true or false");
        // NUL is refused for every JSON string of the API, before the field's own checks
        assertRefused("{\"job\":\"router\",\"savepointPath\":\"a\\u0000b\"}", "U+0000");
    }

    @Test
    void formFieldsOfAnUploadAreCheckedTheSameWay() {
        RunOptions o = JobRequests.fromForm("com.example.Main", "[\"x\"]", "4", null, null);
        assertThat(o.entryClass()).isEqualTo("com.example.Main");
        assertThat(o.programArgs()).containsExactly("x");
        assertThat(o.parallelism()).isEqualTo(4);
        assertThatThrownBy(() -> JobRequests.fromForm(null, "--x 1", null, null, null))
                .hasMessageContaining("JSON array of strings");
    }

    @Test
    void flinkStackTracesShrinkToTheirCauses() {
        String trace =
                "org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute"
                        + " application.\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)\nCaused by:"
                        + " java.lang.RuntimeException: boom\n\tat g.H.i(H.java:3)\n\t... 4 more\n"
                        + "Caused by: java.lang.ClassNotFoundException: com.example.Missing\n";
        assertThat(FlinkRestClient.causes(trace))
                .isEqualTo(
                        "org.apache.flink.runtime.rest.handler.RestHandlerException: Could not"
                                + " execute application. / caused by: java.lang.RuntimeException:"
                                + " boom / caused by: java.lang.ClassNotFoundException:"
                                + " com.example.Missing");
    }

    @Test
    void notAJarIsRefusedBeforeFlinkSeesIt() {
        assertThatThrownBy(
                        () ->
                                JobService.mainClass(
                                        () ->
                                                new java.io.ByteArrayInputStream(
                                                        bytes("just text, no zip"))))
                .hasMessageContaining("not a jar");
        assertThatThrownBy(
                        () ->
                                JobService.mainClass(
                                        () -> new java.io.ByteArrayInputStream(new byte[0])))
                .hasMessageContaining("not a jar");
    }

    private static void assertRefused(String body, String reason) {
        assertThatThrownBy(() -> JobRequests.deploy(bytes(body)))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining(reason);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
