package dev.tollgate.relay.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class BedrockErrorMapperTest {

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(ValidationException.builder().statusCode(400), 400),
                Arguments.of(AccessDeniedException.builder().statusCode(403), 403),
                Arguments.of(ResourceNotFoundException.builder().statusCode(404), 404),
                Arguments.of(ThrottlingException.builder().statusCode(429), 429),
                Arguments.of(ServiceQuotaExceededException.builder().statusCode(400), 429),
                Arguments.of(ModelNotReadyException.builder().statusCode(429), 429),
                Arguments.of(ModelTimeoutException.builder().statusCode(408), 408),
                Arguments.of(ModelErrorException.builder().statusCode(424), 424),
                Arguments.of(ServiceUnavailableException.builder().statusCode(503), 503),
                Arguments.of(InternalServerException.builder().statusCode(500), 500),
                Arguments.of(BedrockRuntimeException.builder().statusCode(418), 418));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void shouldRefuseWithStatusOfErrorTypeWhenBedrockAnswersError(BedrockRuntimeException.Builder error, int status) {
        Throwable thrown = new CompletionException(error
                .awsErrorDetails(AwsErrorDetails.builder().errorMessage("account 123456789012 says no").build())
                .message("ignored")
                .build());

        assertThat(BedrockErrorMapper.isRefusal(thrown)).isTrue();
        assertThat(BedrockErrorMapper.isTransportFailure(thrown)).isFalse();
        UpstreamResult.Refused refused = BedrockErrorMapper.toRefused(thrown);
        assertThat(refused.status()).isEqualTo(status);
        assertThat(refused.message()).isEqualTo("account 123456789012 says no");
        assertThat(refused.body()).isEmpty();
        assertThat(refused.retryAfter()).isNull();
    }

    @Test
    void shouldFailUnreachableWhenConnectionIsRefused() {
        Throwable thrown = new CompletionException(SdkClientException.create("Unable to execute HTTP request",
                new ConnectException("Connection refused")));

        assertThat(BedrockErrorMapper.isRefusal(thrown)).isFalse();
        assertThat(BedrockErrorMapper.isTransportFailure(thrown)).isTrue();
        assertThat(BedrockErrorMapper.toFailure(thrown)).isInstanceOf(UpstreamFailure.Unreachable.class);
    }

    @Test
    void shouldFailUnreachableWhenNoPooledConnectionCouldBeHadInTime() {
        // What the SDK's Netty client raises, as it is, when a connection-pool acquire times out (a busy machine).
        Throwable bare = new CompletionException(new Throwable("Acquire operation took longer than the configured "
                + "maximum time.", new java.util.concurrent.TimeoutException("Acquire operation took longer than "
                + "10000 milliseconds.")));
        Throwable wrapped = SdkClientException.create("Unable to execute HTTP request", bare.getCause());

        assertThat(BedrockErrorMapper.isTransportFailure(bare)).isTrue();
        assertThat(BedrockErrorMapper.toFailure(bare)).as("nothing was sent").isInstanceOf(UpstreamFailure.Unreachable.class);
        assertThat(BedrockErrorMapper.toFailure(wrapped)).isInstanceOf(UpstreamFailure.Unreachable.class);
    }

    @Test
    void shouldFailTimedOutWhenReadTimesOut() {
        Throwable thrown = SdkClientException.create("Unable to execute HTTP request",
                new IOException("Read timed out", ReadTimeoutException.INSTANCE));

        assertThat(BedrockErrorMapper.toFailure(thrown)).isInstanceOf(UpstreamFailure.TimedOut.class);
    }

    @Test
    void shouldFailTimedOutWhenCallTimesOut() {
        Throwable thrown = ApiCallTimeoutException.create(1000);

        assertThat(BedrockErrorMapper.isTransportFailure(thrown)).isTrue();
        assertThat(BedrockErrorMapper.toFailure(thrown)).isInstanceOf(UpstreamFailure.TimedOut.class);
    }

    @Test
    void shouldLeaveOtherErrorsAlone() {
        assertThat(BedrockErrorMapper.isRefusal(new IllegalStateException())).isFalse();
        assertThat(BedrockErrorMapper.isTransportFailure(new IllegalStateException())).isFalse();
    }
}
