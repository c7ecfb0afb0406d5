package io.fxflink.manager.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Http;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * HTTP for Flink jobs: {@code GET /api/v1/jobs}, {@code POST /api/v1/jobs} (multipart jar upload or
 * JSON {@code {"job": "router"}}), {@code POST /api/v1/jobs/{id}/stop} and the savepoint status.
 */
public final class JobController {
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final JobService service;
    private final long maxJarBytes;

    public JobController(JobService service, long maxJarBytes) {
        this.service = service;
        this.maxJarBytes = maxJarBytes;
    }

    public void list(Context ctx) {
        ctx.json(service.list(Http.principal(ctx)));
    }

    public void submit(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            upload(ctx);
        } else {
            ctx.status(201)
                    .json(
                            service.deploy(
                                    Http.principal(ctx),
                                    JobRequests.deploy(
                                            Http.bodyBytes(ctx, Http.MAX_JSON_BODY_BYTES))));
        }
    }

    private void upload(Context ctx) {
        // only platform admins get to make the manager buffer a jar
        Http.principal(ctx).requirePlatformAdmin();
        long declared = ctx.contentLength();
        if (declared > maxJarBytes + MULTIPART_OVERHEAD) {
            throw ApiException.tooLarge(
                    "request is " + declared + " bytes, the job jar limit is " + maxJarBytes);
        }
        UploadedFile file;
        try {
            file = ctx.uploadedFile("jar");
        } catch (Exception e) {
            throw ApiException.badRequest("malformed multipart body: " + e.getMessage());
        }
        if (file == null) {
            throw ApiException.badRequest(
                    "multipart part 'jar' (the job jar) is missing; parts sent: "
                            + ctx.uploadedFileMap().keySet());
        }
        if (file.size() > maxJarBytes) {
            throw ApiException.tooLarge(
                    "jar is " + file.size() + " bytes, the limit is " + maxJarBytes);
        }
        RunOptions options =
                JobRequests.fromForm(
                        ctx.formParam("entryClass"),
                        ctx.formParam("programArgs"),
                        ctx.formParam("parallelism"),
                        ctx.formParam("savepointPath"),
                        ctx.formParam("allowNonRestoredState"));
        Path copy = null;
        try {
            // a file of our own: the jar is read twice (manifest, then the upload to Flink)
            copy = Files.createTempFile("fx-job-", ".jar");
            try (InputStream in = file.content()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            Path jar = copy;
            Submitted s =
                    service.submitJar(
                            Http.principal(ctx),
                            file.filename(),
                            Files.size(jar),
                            () -> {
                                try {
                                    return Files.newInputStream(jar);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            },
                            options);
            ctx.status(201).json(s);
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the uploaded jar: " + e.getMessage());
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    // a temp file left behind is removed with the temp folder
                }
            }
        }
    }

    /** Body (optional): {@code {"drain": false, "targetDirectory": "..."}}. */
    public void stop(Context ctx) {
        boolean drain = false;
        String target = null;
        JsonNode n = Http.jsonBody(ctx, Http.MAX_JSON_BODY_BYTES);
        if (n != null) {
            if (!n.isObject()) {
                throw ApiException.badRequest(
                        "expected {\"drain\": false, \"targetDirectory\": \"...\"} or no body");
            }
            var it = n.fieldNames();
            while (it.hasNext()) {
                String f = it.next();
                if (!f.equals("drain") && !f.equals("targetDirectory")) {
                    throw ApiException.badRequest(
                            "unknown field '"
                                    + JobRequests.clip(f)
                                    + "'; known: drain, targetDirectory");
                }
            }
            if (n.has("drain")) {
                if (!n.get("drain").isBoolean()) {
                    throw ApiException.badRequest("field 'drain' must be true or false");
                }
                drain = n.get("drain").asBoolean();
            }
            if (n.has("targetDirectory") && !n.get("targetDirectory").isNull()) {
                if (!n.get("targetDirectory").isTextual()
                        || n.get("targetDirectory").asText().isBlank()) {
                    throw ApiException.badRequest("field 'targetDirectory' must be a path or URI");
                }
                target = n.get("targetDirectory").asText();
            }
        }
        StopResult r = service.stop(Http.principal(ctx), ctx.pathParam("id"), drain, target);
        ctx.status(r.completed() ? 200 : 202).json(r);
    }

    public void savepoint(Context ctx) {
        StopResult r =
                service.savepointStatus(
                        Http.principal(ctx), ctx.pathParam("id"), ctx.pathParam("triggerId"));
        ctx.json(r);
    }
}
