package io.fxflink.manager.api;

/** The one shape of every error response: {@code {"status":400,"code":"...","message":"..."}}. */
public record ErrorBody(int status, String code, String message) {}
