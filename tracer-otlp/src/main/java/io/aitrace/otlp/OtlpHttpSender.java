package io.aitrace.otlp;

import io.aitrace.core.internal.Untraced;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends the OTLP exporter's requests with the JDK's {@link HttpClient}, on one daemon thread of its own.
 * The SDK's own JDK sender ({@code opentelemetry-exporter-sender-jdk}) is not published for the SDK version
 * aitrace uses, and the OkHttp sender would bring OkHttp, Okio and the Kotlin library (about 3 MB); this
 * class fills the SDK's public {@link HttpSender} interface instead, retrying as the SDK's senders do:
 * on 429, 502, 503, 504 and on I/O errors, with exponential backoff.
 */
final class OtlpHttpSender implements HttpSender {
    private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);
    private static final String THREAD_NAME = "aitrace-otlp";

    private final HttpSenderConfig config;
    private final HttpClient client;
    private final ExecutorService executor;

    private OtlpHttpSender(HttpSenderConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(config.getConnectTimeout());
        if (config.getSslContext() != null) {
            builder.sslContext(config.getSslContext());
        }
        if (config.getProxyOptions() != null) {
            builder.proxy(config.getProxyOptions().getProxySelector());
        }
        this.client = builder.build();
        // One thread, one request at a time: the target bounds what waits here.
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
    }

    /** A loader that hands the OTLP exporter this sender, whatever other senders are on the class path. */
    static ComponentLoader componentLoader() {
        ComponentLoader classPath = ComponentLoader.forClassLoader(OtlpHttpSender.class.getClassLoader());
        HttpSenderProvider provider = OtlpHttpSender::new;
        return new ComponentLoader() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Iterable<T> load(Class<T> spiClass) {
                return spiClass == HttpSenderProvider.class ? List.of((T) provider) : classPath.load(spiClass);
            }
        };
    }

    /** True on the thread that sends and reports outcomes (the exporter logs its failures there). */
    static boolean onSenderThread() {
        return Thread.currentThread().getName().equals(THREAD_NAME);
    }

    @Override
    public void send(MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        byte[] body;
        try {
            body = encode(message);
        } catch (IOException | RuntimeException e) {
            onError.accept(e);
            return;
        }
        try {
            executor.execute(() -> Untraced.call(() -> {
                sendWithRetries(body, onResponse, onError);
                return null;
            }));
        } catch (RuntimeException e) {
            onError.accept(e); // shut down
        }
    }

    private byte[] encode(MessageWriter message) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(64, message.getContentLength()));
        Compressor compressor = config.getCompressor();
        try (OutputStream out = compressor == null ? bytes : compressor.compress(bytes)) {
            message.writeMessage(out);
        }
        return bytes.toByteArray();
    }

    private HttpRequest request(byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.getEndpoint())
                .timeout(config.getTimeout())
                .header("Content-Type", config.getContentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.getCompressor() != null) {
            request.header("Content-Encoding", config.getCompressor().getEncoding());
        }
        Map<String, List<String>> headers = config.getHeadersSupplier().get();
        if (headers != null) {
            headers.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        }
        return request.build();
    }

    private void sendWithRetries(byte[] body, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        RetryPolicy retry = config.getRetryPolicy();
        int attempts = retry == null ? 1 : Math.max(1, retry.getMaxAttempts());
        long backoffNanos = retry == null ? 0 : retry.getInitialBackoff().toNanos();
        for (int attempt = 1; ; attempt++) {
            Response response = null;
            IOException failure = null;
            try {
                java.net.http.HttpResponse<byte[]> r = client.send(request(body),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                response = new Response(r.statusCode(), r.body());
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                onError.accept(e);
                return;
            } catch (RuntimeException e) {
                onError.accept(e);
                return;
            }
            boolean again = attempt < attempts && (response != null ? RETRYABLE.contains(response.status)
                    : retryable(retry, failure));
            if (!again) {
                if (response != null) {
                    onResponse.accept(response);
                } else {
                    onError.accept(failure);
                }
                return;
            }
            try {
                // Full jitter, as the SDK's senders do.
                TimeUnit.NANOSECONDS.sleep(ThreadLocalRandom.current().nextLong(Math.max(1, backoffNanos)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                onError.accept(failure != null ? failure : e);
                return;
            }
            backoffNanos = Math.min((long) (backoffNanos * retry.getBackoffMultiplier()),
                    retry.getMaxBackoff().toNanos());
        }
    }

    /** A refused or reset connection or a timeout may be gone in a moment: retried unless the policy says no. */
    private static boolean retryable(RetryPolicy retry, IOException failure) {
        return retry.getRetryExceptionPredicate() == null || retry.getRetryExceptionPredicate().test(failure);
    }

    @Override
    public CompletableResultCode shutdown() {
        executor.shutdown();
        return CompletableResultCode.ofSuccess();
    }

    private static final class Response implements HttpResponse {
        private final int status;
        private final byte[] body;

        Response(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public String getStatusMessage() {
            return String.valueOf(status);
        }

        @Override
        public byte[] getResponseBody() {
            return body;
        }
    }
}
