package io.fxflink.executor.context;

/** How one step ended. {@code error} is null on success. */
public record StepOutcome(Kind kind, String error) {
    public enum Kind {
        SUCCEEDED,
        FAILED,
        TIMED_OUT
    }

    public static StepOutcome succeeded() {
        return new StepOutcome(Kind.SUCCEEDED, null);
    }

    public static StepOutcome failed(String error) {
        return new StepOutcome(Kind.FAILED, error);
    }

    public static StepOutcome timedOut(String error) {
        return new StepOutcome(Kind.TIMED_OUT, error);
    }

    public boolean ok() {
        return kind == Kind.SUCCEEDED;
    }
}
