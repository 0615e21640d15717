package dev.tollgate.relay.provider;

/** Why an upstream call produced no answer at all; mapped at the adapter boundary, turned into HTTP by the api. */
public abstract sealed class UpstreamFailure extends RuntimeException {

    UpstreamFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** Could not connect, or the connection broke before an answer began. */
    public static final class Unreachable extends UpstreamFailure {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** No answer within the upstream timeout. */
    public static final class TimedOut extends UpstreamFailure {
        public TimedOut(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
