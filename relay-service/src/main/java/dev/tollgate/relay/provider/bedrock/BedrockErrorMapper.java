package dev.tollgate.relay.provider.bedrock;

import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * SDK exceptions at the adapter's boundary: an error Bedrock answered → {@link UpstreamResult.Refused} with the
 * status its type stands for; no answer at all (connect, I/O, timeouts) → {@link UpstreamFailure}. Pure.
 */
final class BedrockErrorMapper {

    private static final byte[] EMPTY = new byte[0];

    private BedrockErrorMapper() {
    }

    /** Bedrock answered with an error. */
    static boolean isRefusal(Throwable error) {
        return unwrap(error) instanceof SdkServiceException;
    }

    /** The call got no answer: the SDK could not send it or read one. */
    static boolean isTransportFailure(Throwable error) {
        Throwable e = unwrap(error);
        // The SDK's Netty client fails a connection-pool acquire timeout with a bare Throwable.
        return e instanceof SdkClientException || e instanceof IOException || e instanceof TimeoutException
                || e.getClass() == Throwable.class;
    }

    static UpstreamResult.Refused toRefused(Throwable error) {
        Throwable e = unwrap(error);
        // AWS messages may quote account ids; the inbound side shows them only for the client's own 4xx mistakes.
        return new UpstreamResult.Refused(status(e), null, EMPTY, null, message(e));
    }

    static UpstreamFailure toFailure(Throwable error) {
        Throwable e = unwrap(error);
        if (isPoolAcquireTimeout(e)) {
            // No connection was had, so nothing was sent: unreachable, though a TimeoutException is inside.
            return new UpstreamFailure.Unreachable("upstream unreachable: no connection in time", e);
        }
        if (isTimeout(e)) {
            return new UpstreamFailure.TimedOut("upstream did not answer in time", e);
        }
        return new UpstreamFailure.Unreachable("upstream unreachable: " + describe(e), e);
    }

    /** The status an error type stands for (AWS's documented ones), else the one it came with. */
    static int status(Throwable e) {
        if (e instanceof ValidationException) {
            return 400;
        }
        if (e instanceof AccessDeniedException) {
            return 403;
        }
        if (e instanceof ResourceNotFoundException) {
            return 404;
        }
        if (e instanceof ModelTimeoutException) {
            return 408;
        }
        if (e instanceof ModelErrorException || e instanceof ModelStreamErrorException) {
            return 424;
        }
        if (e instanceof ThrottlingException || e instanceof ServiceQuotaExceededException
                || e instanceof ModelNotReadyException) {
            return 429;
        }
        if (e instanceof InternalServerException) {
            return 500;
        }
        if (e instanceof ServiceUnavailableException) {
            return 503;
        }
        if (e instanceof SdkServiceException service && service.statusCode() >= 400 && service.statusCode() < 600) {
            return service.statusCode();
        }
        return 502;
    }

    private static String message(Throwable e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorMessage() != null) {
            return aws.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }

    /** The SDK's Netty pool could not hand out a connection in time (seen when connects are refused, too). */
    private static boolean isPoolAcquireTimeout(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e.getMessage() != null && e.getMessage().startsWith("Acquire operation took longer")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTimeout(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof TimeoutException || e instanceof SocketTimeoutException
                    || e instanceof io.netty.handler.timeout.TimeoutException
                    || e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause's type and message, for logs (never carries credentials). */
    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
