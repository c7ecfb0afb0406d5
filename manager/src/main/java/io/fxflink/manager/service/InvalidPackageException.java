package io.fxflink.manager.service;

/** A package that must be refused, with the reason (answered as 400, or 413 when too large). */
final class InvalidPackageException extends RuntimeException {
    private final boolean tooLarge;

    InvalidPackageException(String message) {
        this(message, false);
    }

    InvalidPackageException(String message, boolean tooLarge) {
        super(message, null, false, false);
        this.tooLarge = tooLarge;
    }

    boolean tooLarge() {
        return tooLarge;
    }
}
