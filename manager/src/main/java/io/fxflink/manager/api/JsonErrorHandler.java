package io.fxflink.manager.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What Jetty refuses before the manager sees it (a malformed request line, an over-long URI or
 * header block, a bad escape in the path) answers with the API's one error body, not Jetty's HTML
 * page. The message is Jetty's short reason, never the request.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON =
            new HttpField(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");

    public JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    /** Every method gets the body (Jetty's default writes one for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int code,
            String message,
            Throwable cause,
            Callback callback)
            throws IOException {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    static byte[] body(int status, String reason) {
        String message =
                reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        try {
            return Json.mapper()
                    .writeValueAsBytes(
                            new ErrorBody(
                                    status,
                                    codeOf(status),
                                    "request refused by the HTTP server: "
                                            + Input.clip(message, 200)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }

    /** The stable code of a status, shared with the manager's own errors. */
    public static String codeOf(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> "http_" + status;
        };
    }
}
