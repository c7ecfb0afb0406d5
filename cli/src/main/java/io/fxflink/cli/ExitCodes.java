package io.fxflink.cli;

/** Exit codes a script can rely on (also listed by {@code fx --help}). */
public final class ExitCodes {
    public static final int OK = 0;

    /** The manager refused the request (validation, conflict): the message says why. */
    public static final int REJECTED = 1;

    /** Wrong command line. */
    public static final int USAGE = 2;

    /** The manager (or the local platform) cannot be reached. */
    public static final int UNREACHABLE = 3;

    /** What was asked for does not exist. */
    public static final int NOT_FOUND = 4;

    /** Missing, invalid or insufficient token. */
    public static final int UNAUTHORIZED = 5;

    /** A run that was waited for did not succeed. */
    public static final int RUN_FAILED = 6;

    private ExitCodes() {}

    static int forStatus(int httpStatus) {
        return switch (httpStatus) {
            case 401, 403 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            default -> REJECTED;
        };
    }
}
