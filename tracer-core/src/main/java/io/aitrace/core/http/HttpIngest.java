package io.aitrace.core.http;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.internal.Untraced;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

/**
 * POSTs gzip-compressed NDJSON bodies to a collector's ingest endpoint and says what came of it. {@link #post} is
 * called by the HTTP target's sender thread only; {@link #abandon()} may come from any thread.
 */
final class HttpIngest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final String GAVE_UP = "still no answer when close() stopped waiting";
    /** A longer {@code Retry-After} is not waited for here: the batch goes to the spill, offered again after it. */
    static final Duration MAX_RETRY_AFTER_WAIT = Duration.ofSeconds(5);

    /**
     * What one POST came to: the HTTP status (0 when there was no answer), the answer's body or the failure, and
     * how long the collector asked to be left alone ({@code Retry-After}), or null.
     */
    record Answer(int status, String text, Duration retryAfter) {
        Answer(int status, String text) {
            this(status, text, null);
        }

        boolean delivered() {
            return status / 100 == 2;
        }

        /** The collector refuses these records for good: sending them again would not help. */
        boolean rejected() {
            return status / 100 == 4 && status != 408 && status != 429;
        }

        /** Why the records did not get through, for a message: {@code connection refused}, {@code HTTP 503}. */
        String reason() {
            return status == 0 ? text : "HTTP " + status;
        }
    }

    private final URI endpoint;
    private final String bearerToken;
    private final Duration requestTimeout;
    private final CountDownLatch abandoned = new CountDownLatch(1);
    private volatile CompletableFuture<?> inFlight;
    private HttpClient client;

    HttpIngest(URI endpoint, String bearerToken, Duration requestTimeout) {
        this.endpoint = endpoint;
        this.bearerToken = bearerToken;
        this.requestTimeout = requestTimeout;
    }

    /**
     * POSTs one body, retrying after each delay while a retry may help (no answer, 5xx, 408, 429); a
     * {@code Retry-After} the collector sent lengthens the delay, and one over {@link #MAX_RETRY_AFTER_WAIT} ends
     * the retries.
     */
    Answer post(byte[] ndjson, List<Duration> retryDelays) {
        byte[] body = gzip(ndjson);
        Answer answer = postOnce(body);
        for (Duration delay : retryDelays) {
            if (answer.delivered() || answer.rejected()) {
                break;
            }
            if (answer.retryAfter() != null) {
                if (answer.retryAfter().compareTo(MAX_RETRY_AFTER_WAIT) > 0) {
                    break;
                }
                delay = answer.retryAfter().compareTo(delay) > 0 ? answer.retryAfter() : delay;
            }
            if (waitOrAbandon(delay)) {
                break;
            }
            answer = postOnce(body);
        }
        return answer;
    }

    /** {@code Retry-After}: seconds, or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value, java.time.Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                java.time.Instant at = java.time.ZonedDateTime.parse(value.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (java.time.format.DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** From now on every post fails at once, and the one in flight, if any, is cancelled. */
    void abandon() {
        abandoned.countDown();
        CompletableFuture<?> request = inFlight;
        if (request != null) {
            request.cancel(true);
        }
    }

    boolean isAbandoned() {
        return abandoned.getCount() == 0;
    }

    private Answer postOnce(byte[] gzipped) {
        if (isAbandoned()) {
            return new Answer(0, GAVE_UP);
        }
        if (client == null) {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-ndjson")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        CompletableFuture<HttpResponse<String>> response =
                Untraced.call(() -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
        inFlight = response;
        try {
            if (isAbandoned()) {
                response.cancel(true); // abandon() came before it could see this request
            }
            // The request timeout covers the answer's headers; the extra second bounds a body that never ends.
            HttpResponse<String> answer = response.get(requestTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return new Answer(answer.statusCode(), answer.body(),
                    retryAfter(answer.headers().firstValue("Retry-After").orElse(null), java.time.Instant.now()));
        } catch (ExecutionException e) {
            return new Answer(0, failure(e.getCause()));
        } catch (TimeoutException e) {
            response.cancel(true);
            return new Answer(0, "no answer within " + seconds(requestTimeout));
        } catch (CancellationException e) {
            return new Answer(0, GAVE_UP);
        } catch (InterruptedException e) {
            abandon(); // only close() should stop the sender: take it as close() giving up
            return new Answer(0, GAVE_UP);
        } finally {
            inFlight = null;
        }
    }

    /** Waits {@code delay} before a retry; true when the target gave up on the collector meanwhile. */
    private boolean waitOrAbandon(Duration delay) {
        try {
            return abandoned.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            abandon();
            return true;
        }
    }

    private String failure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "no connection within " + seconds(CONNECT_TIMEOUT);
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + seconds(requestTimeout);
        }
        if (cause instanceof ConnectException && cause.getMessage() == null) {
            return "connection refused";
        }
        Throwable shown = cause;
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        return Diagnostics.describe(shown);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static byte[] gzip(byte[] ndjson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ndjson.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(ndjson);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return out.toByteArray();
    }
}
