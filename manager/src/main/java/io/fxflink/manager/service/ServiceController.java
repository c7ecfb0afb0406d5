package io.fxflink.manager.service;

import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Http;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;

/** HTTP for services: multipart upload (part {@code package}), list, show, lifecycle. */
public final class ServiceController {
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final ServiceService service;
    private final long maxPackageBytes;

    public ServiceController(ServiceService service, long maxPackageBytes) {
        this.service = service;
        this.maxPackageBytes = maxPackageBytes;
    }

    public void upload(Context ctx) {
        // refuse before Jetty buffers a huge body
        long declared = ctx.contentLength();
        if (declared > maxPackageBytes + MULTIPART_OVERHEAD) {
            throw ApiException.tooLarge(
                    "request is " + declared + " bytes, the package limit is " + maxPackageBytes);
        }
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
            throw ApiException.badRequest(
                    "send the package as multipart/form-data with a file part named 'package'");
        }
        UploadedFile file;
        try {
            file = ctx.uploadedFile("package");
        } catch (Exception e) {
            // Jetty refuses a part over the multipart limit as "bad multipart"
            if (declared > maxPackageBytes) {
                throw ApiException.tooLarge(
                        "request is "
                                + declared
                                + " bytes, the package limit is "
                                + maxPackageBytes);
            }
            throw ApiException.badRequest("malformed multipart body: " + e.getMessage());
        }
        if (file == null) {
            throw ApiException.badRequest(
                    "multipart part 'package' (the zip file) is missing; parts sent: "
                            + ctx.uploadedFileMap().keySet());
        }
        if (file.size() > maxPackageBytes) {
            throw ApiException.tooLarge(
                    "package is " + file.size() + " bytes, the limit is " + maxPackageBytes);
        }
        byte[] zip;
        try (InputStream in = file.content()) {
            zip = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxPackageBytes + 1));
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the uploaded package: " + e.getMessage());
        }
        UploadResult r = service.upload(Http.principal(ctx), ctx.formParam("project"), zip);
        ctx.status(r.created() ? 201 : 200).json(r);
    }

    public void list(Context ctx) {
        ctx.json(service.list(Http.principal(ctx)));
    }

    public void get(Context ctx) {
        ctx.json(service.get(Http.principal(ctx), ctx.pathParam("name")));
    }

    public void versions(Context ctx) {
        ctx.json(service.versions(Http.principal(ctx), ctx.pathParam("name")));
    }

    public void activate(Context ctx) {
        ctx.json(service.setActive(Http.principal(ctx), ctx.pathParam("name"), true));
    }

    public void deactivate(Context ctx) {
        ctx.json(service.setActive(Http.principal(ctx), ctx.pathParam("name"), false));
    }

    public void setDefaultVersion(Context ctx) {
        DefaultVersionRequest req = Http.body(ctx, DefaultVersionRequest.class);
        ctx.json(
                service.setDefaultVersion(
                        Http.principal(ctx), ctx.pathParam("name"), req.version()));
    }

    public void delete(Context ctx) {
        String force = ctx.queryParam("force");
        if (force != null && !force.equals("true") && !force.equals("false")) {
            throw ApiException.badRequest("query parameter 'force' must be true or false");
        }
        service.delete(Http.principal(ctx), ctx.pathParam("name"), "true".equals(force));
        ctx.status(204);
    }

    /** {@code PUT /services/{name}/default-version} body. */
    record DefaultVersionRequest(String version) {}
}
