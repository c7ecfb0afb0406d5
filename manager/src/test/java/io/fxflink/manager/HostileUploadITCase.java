package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Broken and hostile packages are refused with the reason, and nothing is registered. */
class HostileUploadITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.S3);

    static ManagerFixture fx;
    static ManagerApp app;
    static TestApi api;
    static String admin;
    static MinioClient s3;

    @BeforeAll
    static void start() {
        fx = new ManagerFixture(SERVERS);
        app = fx.start();
        api = new TestApi(app.port());
        admin = app.bootstrapToken().orElseThrow().token();
        s3 =
                MinioClient.builder()
                        .endpoint(SERVERS.s3Endpoint())
                        .credentials(SERVERS.s3AccessKey(), SERVERS.s3SecretKey())
                        .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /**
     * Uploads and expects the refusal; then checks that the refused upload registered nothing (the
     * services and all their versions, as the API lists them, are what they were before) and stored
     * nothing (the packages bucket holds the same objects as before).
     */
    private static TestApi.Res refused(byte[] zip, int status, String... reason) {
        Map<String, JsonNode> servicesBefore = servicesAndVersions();
        Set<String> objectsBefore = objectsInPackagesBucket();
        TestApi.Res r = api.upload(admin, zip, Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("message").asText()).contains(reason);
        assertThat(servicesAndVersions())
                .as("services and versions after a refused upload")
                .isEqualTo(servicesBefore);
        assertThat(objectsInPackagesBucket())
                .as("objects in the packages bucket after a refused upload")
                .isEqualTo(objectsBefore);
        return r;
    }

    /** Every service the API lists, with the versions the API lists for it. */
    private static Map<String, JsonNode> servicesAndVersions() {
        TestApi.Res list = api.get(admin, "/api/v1/services");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode s : list.json()) {
            String name = s.get("name").asText();
            TestApi.Res versions = api.get(admin, "/api/v1/services/" + name + "/versions");
            assertThat(versions.status()).as(versions.toString()).isEqualTo(200);
            out.put(name, versions.json());
        }
        return out;
    }

    private static Set<String> objectsInPackagesBucket() {
        Set<String> out = new TreeSet<>();
        try {
            for (Result<Item> item :
                    s3.listObjects(
                            ListObjectsArgs.builder().bucket(fx.bucket).recursive(true).build())) {
                out.add(item.get().objectName());
            }
        } catch (Exception e) {
            throw new AssertionError("could not list bucket " + fx.bucket, e);
        }
        return out;
    }

    /** The uncompressed size the zip's central directory gives for {@code entry}. */
    private static long claimedSize(byte[] zip, String entry) {
        try (ZipFile zf =
                ZipFile.builder()
                        .setSeekableByteChannel(new SeekableInMemoryByteChannel(zip))
                        .get()) {
            return zf.getEntry(entry).getSize();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void zipSlipIsRefused() {
        refused(
                Packages.rawNames(Packages.manifest("slip", "1", null), "../../etc/cron.d/evil"),
                400,
                "zip slip");
        refused(
                Packages.rawNames(Packages.manifest("slip", "1", null), "lib/../../evil.py"),
                400,
                "zip slip");
    }

    @Test
    void absolutePathsAndBackslashedEscapesAreRefused() {
        refused(
                Packages.rawNames(Packages.manifest("abs", "1", null), "/etc/passwd"),
                400,
                "absolute path");
        refused(
                Packages.rawNames(Packages.manifest("abs", "1", null), "C:/windows/evil.dll"),
                400,
                "absolute path");
        refused(
                Packages.rawNames(Packages.manifest("abs", "1", null), "..\\evil.py"),
                400,
                "zip slip");
    }

    @Test
    void symlinksAreRefused() {
        refused(Packages.withSymlink(Packages.manifest("sym", "1", null)), 400, "symbolic link");
    }

    @Test
    void zipBombsAreRefusedWhileInflating() {
        // 17 MiB of zeros compress to ~17 KiB: over the 16 MiB inflated limit of the fixture,
        // while both headers of the entry claim 1 KiB: only counting the inflated bytes finds it
        byte[] bomb = Packages.lyingBomb(Packages.manifest("bomb", "1", null), 17 << 20, 1024);
        assertThat(bomb.length).isLessThan(100_000);
        assertThat(claimedSize(bomb, "zeros.bin")).isEqualTo(1024);
        refused(
                bomb,
                413,
                "package inflates beyond the limit while reading entry 'zeros.bin'",
                "zip bomb");
        assertThat(api.get(admin, "/api/v1/services/bomb").status()).isEqualTo(404);
    }

    @Test
    void highCompressionRatioIsRefused() {
        // 8 MiB (under the 16 MiB limit) of zeros claiming 1 KiB: refused on the real ratio
        byte[] bomb = Packages.lyingBomb(Packages.manifest("ratio", "1", null), 8 << 20, 1024);
        assertThat(claimedSize(bomb, "zeros.bin")).isEqualTo(1024);
        refused(bomb, 413, "entry 'zeros.bin' inflates", "refusing a likely zip bomb");
        assertThat(api.get(admin, "/api/v1/services/ratio").status()).isEqualTo(404);
    }

    @Test
    void oversizePackagesAreRefusedWith413() {
        byte[] big = new byte[(2 << 20) + 1024];
        new java.util.Random(1).nextBytes(big);
        refused(big, 413, "limit");
    }

    @Test
    void malformedUploadsAreRefused() {
        refused("not a zip at all".getBytes(StandardCharsets.UTF_8), 400, "not a readable zip");
        refused(new byte[0], 400, "empty");
        refused(Packages.zip(Map.of("main.py", "print(1)")), 400, "no manifest.json");
        refused(
                Packages.zip(Map.of("manifest.json", "{not json", "main.py", "x")),
                400,
                "not valid JSON");
        refused(Packages.zip(Map.of("manifest.json", "[]", "main.py", "x")), 400, "manifest");
        TestApi.Res noPart =
                api.postRaw(
                        admin,
                        "/api/v1/services",
                        Map.of("Content-Type", "application/json"),
                        "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(noPart.status()).isEqualTo(400);
        assertThat(noPart.json().get("message").asText()).contains("multipart/form-data");
    }

    @Test
    void badManifestsSayWhichFieldIsWrong() {
        refused(
                Packages.python("cron", "1", "\"schedule\":\"61 * * * *\""),
                400,
                "schedule",
                "cron");
        refused(Packages.python("cron", "1", "\"schedule\":\"every minute\""), 400, "schedule");
        refused(
                Packages.zip(
                        Map.of(
                                "manifest.json",
                                "{\"name\":\"rt\",\"version\":\"1\",\"runtime\":\"ruby\","
                                        + "\"scripts\":[\"main.py\"]}",
                                "main.py",
                                "x")),
                400,
                "runtime");
        refused(
                Packages.zip(Map.of("manifest.json", Packages.manifest("miss", "1", null))),
                400,
                "main.py",
                "not in the package");
        refused(Packages.python("bad name!", "1", null), 400, "name");
        refused(
                Packages.python("unk", "1", "\"triger_events\":[\"a\"]"),
                400,
                "unknown field 'triger_events'");
        refused(Packages.python("to", "1", "\"timeout_seconds\":0"), 400, "timeout_seconds");
        refused(
                Packages.python("tr", "1", "\"trigger_events\":[\"has space\"]"),
                400,
                "trigger_events");
        for (String name : new String[] {"cron", "rt", "miss", "unk", "to", "tr"}) {
            assertThat(api.get(admin, "/api/v1/services/" + name).status()).isEqualTo(404);
        }
    }

    @Test
    void aValidScheduleIsAccepted() {
        TestApi.Res ok =
                api.upload(
                        admin,
                        Packages.python("nightly", "1", "\"schedule\":\"0 3 * * *\""),
                        Map.of());
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        assertThat(
                        ok.json()
                                .get("service")
                                .get("versions")
                                .get(0)
                                .get("manifest")
                                .get("schedule")
                                .asText())
                .isEqualTo("0 3 * * *");
        api.delete(admin, "/api/v1/services/nightly");
    }
}
