package io.aitrace.core.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.aitrace.core.TracerConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueConverterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ValueConverter converter = new ValueConverter(new SecretKeys(SecretKeys.DEFAULT_TERMS), 1_000);
    private final ValueConverter cutAt20 = new ValueConverter(new SecretKeys(SecretKeys.DEFAULT_TERMS), 20);

    @TempDir
    Path dir;

    // ---- values -------------------------------------------------------------------------------------------

    @Test
    void uuidBecomesItsString() {
        UUID id = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

        assertThat(json(id)).isEqualTo("\"0f8fad5b-d9cb-469f-a165-70867728950e\"");
    }

    @Test
    void instantBecomesAnIsoUtcString() {
        assertThat(json(Instant.parse("2026-11-21T18:00:00.123456Z"))).isEqualTo("\"2026-11-21T18:00:00.123456Z\"");
    }

    @Test
    void localDateBecomesAnIsoDate() {
        assertThat(json(LocalDate.of(2026, 11, 21))).isEqualTo("\"2026-11-21\"");
    }

    @Test
    void localDateTimeBecomesAnIsoDateTime() {
        assertThat(json(LocalDateTime.of(2026, 11, 21, 18, 0, 5))).isEqualTo("\"2026-11-21T18:00:05\"");
    }

    @Test
    void offsetDateTimeBecomesAnIsoStringWithItsOffset() {
        OffsetDateTime time = OffsetDateTime.of(2026, 11, 21, 18, 0, 5, 0, ZoneOffset.ofHours(2));

        assertThat(json(time)).isEqualTo("\"2026-11-21T18:00:05+02:00\"");
    }

    @Test
    void zonedDateTimeBecomesAnIsoStringWithItsOffset() {
        ZonedDateTime time = ZonedDateTime.of(2026, 7, 1, 9, 30, 0, 0, ZoneId.of("Europe/Paris"));

        assertThat(json(time)).isEqualTo("\"2026-07-01T09:30:00+02:00\"");
    }

    @Test
    void sqlDateBecomesAnIsoDate() {
        assertThat(json(java.sql.Date.valueOf("2026-11-21"))).isEqualTo("\"2026-11-21\"");
    }

    @Test
    void pathBecomesItsString() {
        assertThat(json(Path.of("/tmp/reports/q3.pdf"))).isEqualTo("\"/tmp/reports/q3.pdf\"");
    }

    @Test
    void durationBecomesSecondsAsANumber() {
        JsonNode node = converter.toJson(Duration.ofMillis(1500));

        assertThat(node.isNumber()).isTrue();
        assertThat(node.toString()).isEqualTo("1.5");
    }

    @Test
    void wholeMinuteDurationIsPlainSecondsWithoutAnExponent() {
        assertThat(json(Duration.ofMinutes(1))).isEqualTo("60");
    }

    @Test
    void bigDecimalKeepsItsExactDigits() {
        assertThat(json(new BigDecimal("19.90"))).isEqualTo("19.90");
        assertThat(json(new BigDecimal("12345678901234567890.000000001"))).isEqualTo("12345678901234567890.000000001");
    }

    @Test
    void floatKeepsTheDigitsItWasWrittenWith() {
        assertThat(json(0.1f)).isEqualTo("0.1");
    }

    @Test
    void enumBecomesItsNameNotItsToString() {
        assertThat(json(Mood.HAPPY)).isEqualTo("\"HAPPY\"");
    }

    @Test
    void setBecomesAnArray() {
        assertThat(json(new TreeSet<>(List.of("search", "answer")))).isEqualTo("[\"answer\",\"search\"]");
    }

    @Test
    void recordBecomesAnObjectOfItsComponents() {
        assertThat(json(new Message("user", "What's the weather in Paris?")))
                .isEqualTo("{\"role\":\"user\",\"content\":\"What's the weather in Paris?\"}");
    }

    @Test
    void publicBeanBecomesAnObjectOfItsGetters() {
        assertThat(json(new Forecast("Paris", 21, true)))
                .isEqualTo("{\"city\":\"Paris\",\"sunny\":true,\"temperature\":21}");
    }

    @Test
    void presentOptionalBecomesItsValue() {
        assertThat(json(Optional.of("gpt-4o"))).isEqualTo("\"gpt-4o\"");
    }

    @Test
    void emptyOptionalBecomesNull() {
        assertThat(json(Optional.empty())).isEqualTo("null");
    }

    @Test
    void byteArrayBecomesBase64() {
        assertThat(json("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo("\"aGVsbG8=\"");
    }

    @Test
    void throwableBecomesTypeMessageAndStack() {
        JsonNode node = converter.toJson(new IllegalStateException("model overloaded"));

        assertThat(fieldNames(node)).containsExactly("type", "message", "stack");
        assertThat(node.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(node.get("message").asText()).isEqualTo("model overloaded");
        assertThat(node.get("stack").asText()).startsWith("java.lang.IllegalStateException: model overloaded")
                .contains("at io.aitrace.core.record.ValueConverterTest");
    }

    @Test
    void plainObjectBecomesItsFieldsWithItsType() {
        assertThat(json(new Invoice("INV-7", 42)))
                .isEqualTo("{\"__type__\":\"Invoice\",\"number\":\"INV-7\",\"total\":42}");
    }

    @Test
    void nestedMapsAndListsKeepTheirShape() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("model", "gpt-4o");
        request.put("messages", List.of(Map.of("role", "user"), Map.of("role", "assistant")));
        request.put("options", Map.of("stop", List.of("\n")));

        assertThat(json(request)).isEqualTo("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\"},"
                + "{\"role\":\"assistant\"}],\"options\":{\"stop\":[\"\\n\"]}}");
    }

    @Test
    void jsonTreeIsKeptAsItIs() throws Exception {
        JsonNode body = MAPPER.readTree("{\"model\":\"gpt-4o\",\"n\":2,\"stream\":false,\"stop\":[\"END\"]}");

        assertThat(json(body)).isEqualTo("{\"model\":\"gpt-4o\",\"n\":2,\"stream\":false,\"stop\":[\"END\"]}");
    }

    // ---- cycles and failures ------------------------------------------------------------------------------

    @Test
    void listContainingItselfBecomesACycleMarker() {
        List<Object> list = new ArrayList<>();
        list.add("first");
        list.add(list);

        JsonNode node = converter.toJson(list);

        assertThat(node.get(0).asText()).isEqualTo("first");
        assertThat(node.get(1).isTextual()).isTrue();
        assertThat(node.get(1).asText()).startsWith("<cycle: java.util.ArrayList");
    }

    @Test
    void twoObjectsPointingAtEachOtherBecomeACycleMarker() {
        Agent planner = new Agent("planner");
        Agent critic = new Agent("critic");
        planner.setPeer(critic);
        critic.setPeer(planner);

        JsonNode node = converter.toJson(planner);

        assertThat(node.get("name").asText()).isEqualTo("planner");
        assertThat(node.at("/peer/name").asText()).isEqualTo("critic");
        assertThat(node.at("/peer/peer").isTextual()).isTrue();
        assertThat(node.at("/peer/peer").asText()).startsWith("<cycle: ").contains("Agent");
    }

    @Test
    void theSameObjectTwiceIsNotACycle() {
        Message shared = new Message("user", "hi");

        assertThat(json(List.of(shared, shared)))
                .isEqualTo("[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"user\",\"content\":\"hi\"}]");
    }

    @Test
    void objectWhoseGetterThrowsBecomesItsToString() {
        assertThat(json(new FlakyGetter())).isEqualTo("\"FlakyGetter(id=7)\"");
    }

    @Test
    void objectWhoseGetterAndToStringThrowBecomesAMarkerString() {
        JsonNode node = converter.toJson(Map.of("value", new BrokenEverywhere()));

        assertThat(node.path("value").isTextual()).isTrue();
        assertThat(node.path("value").asText()).contains("BrokenEverywhere").contains("toString threw");
    }

    @Test
    void collectionThatFailsWhileIteratedBecomesAStringAndItsSiblingsSurvive() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("query", "weather in Paris");
        input.put("results", new FailingIterable(new IllegalStateException("connection reset")));

        JsonNode node = converter.toJson(input);

        assertThat(node.path("query").asText()).isEqualTo("weather in Paris");
        assertThat(node.path("results").isTextual()).isTrue();
        assertThat(node.path("results").asText()).contains("FailingIterable").contains("connection reset");
    }

    @Test
    void errorThrownWhileReadingAValueNeverReachesTheCaller() {
        FailingIterable results = new FailingIterable(new NoClassDefFoundError("com/acme/LazyResult"));

        assertThatCode(() -> converter.toJson("results", results)).doesNotThrowAnyException();
        assertThat(converter.toJson("results", results).asText()).contains("NoClassDefFoundError");
    }

    @Test
    void veryDeepStructureIsCutWithAMarker() {
        List<Object> root = new ArrayList<>();
        List<Object> current = root;
        for (int i = 0; i < 10_000; i++) {
            List<Object> child = new ArrayList<>();
            current.add(child);
            current = child;
        }

        JsonNode node = converter.toJson(root);

        int levels = 0;
        while (node.isArray()) {
            node = node.get(0);
            levels++;
        }
        assertThat(node.asText()).startsWith("<too deep: java.util.ArrayList");
        assertThat(levels).isBetween(8, 100);
    }

    // ---- masking ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"api_key", "password", "Authorization", "accessToken", "x-api-key", "refresh_token",
            "cookie"})
    void secretKeyIsMaskedInAMap(String key) {
        assertThat(json(Map.of(key, "sk-live-123"))).isEqualTo("{\"" + key + "\":\"***\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen_ai.usage.input_tokens", "max_tokens", "author"})
    void keyThatOnlyLooksLikeASecretIsNotMasked(String key) {
        assertThat(json(Map.of(key, "1200"))).isEqualTo("{\"" + key + "\":\"1200\"}");
    }

    @Test
    void secretValueHandedOverUnderItsKeyIsMasked() {
        assertThat(converter.toJson("api_key", "sk-live-123").toString()).isEqualTo("\"***\"");
    }

    @Test
    void secretKeysInsideListsOfMapsAreMasked() {
        List<Map<String, Object>> calls = List.of(
                Map.of("headers", Map.of("Authorization", "Bearer sk-live-123")),
                Map.of("body", List.of(Map.of("password", "hunter2"))));

        assertThat(json(calls)).isEqualTo(
                "[{\"headers\":{\"Authorization\":\"***\"}},{\"body\":[{\"password\":\"***\"}]}]");
    }

    @Test
    void secretBeanPropertyIsMasked() {
        assertThat(json(new Credentials("bob", "sk-live-123"))).isEqualTo("{\"apiKey\":\"***\",\"user\":\"bob\"}");
    }

    @Test
    void secretRecordComponentIsMasked() {
        assertThat(json(new Login("bob", "hunter2"))).isEqualTo("{\"user\":\"bob\",\"password\":\"***\"}");
    }

    @Test
    void secretFieldOfAPlainObjectIsMasked() {
        assertThat(json(new Session("s-1", "abc")))
                .isEqualTo("{\"__type__\":\"Session\",\"id\":\"s-1\",\"refreshToken\":\"***\"}");
    }

    @Test
    void secretKeyInsideAJsonTreeIsMasked() throws Exception {
        JsonNode request = MAPPER.readTree("{\"headers\":{\"x-api-key\":\"sk-live-123\",\"accept\":\"json\"}}");

        assertThat(json(request)).isEqualTo("{\"headers\":{\"x-api-key\":\"***\",\"accept\":\"json\"}}");
    }

    @Test
    void secretKeyInsideAnObjectWrappedInAJsonTreeIsMasked() {
        ObjectNode body = MAPPER.createObjectNode();
        body.putPOJO("auth", new Login("bob", "hunter2"));
        body.putPOJO("request", new Login("bob", "hunter2"));

        assertThat(json(body)).isEqualTo("{\"auth\":\"***\",\"request\":{\"user\":\"bob\",\"password\":\"***\"}}");
    }

    @Test
    void numbersAndBooleansUnderASecretLookingKeyStayReadable() {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("token", 1200);
        usage.put("password_set", true);

        assertThat(json(usage)).isEqualTo("{\"token\":1200,\"password_set\":true}");
        assertThat(converter.toJson("access_token", 42).toString()).isEqualTo("42");
    }

    @Test
    void configuredMaskKeysReplaceTheDefaults() {
        TracerConfig config = TracerConfig.builder().maskKeys(List.of("ssn")).environment(Map.of())
                .systemProperties(new Properties()).configFile(dir.resolve("absent.properties")).build();
        ValueConverter configured = new ValueConverter(new SecretKeys(config.maskKeys()), config.maxStringLength());
        Map<String, Object> patient = new LinkedHashMap<>();
        patient.put("ssn", "123-45-6789");
        patient.put("password", "hunter2");

        assertThat(configured.toJson(patient).toString()).isEqualTo("{\"ssn\":\"***\",\"password\":\"hunter2\"}");
    }

    // ---- truncation ---------------------------------------------------------------------------------------

    @Test
    void longStringIsCutWithAMarkerSayingHowManyCharsWereCut() {
        String text = "a".repeat(20) + "b".repeat(30);

        assertThat(cutAt20.toJson(text).asText()).isEqualTo("a".repeat(20) + "…[truncated 30 chars]");
    }

    @Test
    void longStringIsCutAtAnyDepth() {
        Map<String, Object> input = Map.of("messages", List.of(new Message("user", "x".repeat(25))));

        assertThat(cutAt20.toJson(input).at("/messages/0/content").asText())
                .isEqualTo("x".repeat(20) + "…[truncated 5 chars]");
    }

    @Test
    void stringAtTheLimitIsUntouched() {
        assertThat(cutAt20.toJson("y".repeat(20)).asText()).isEqualTo("y".repeat(20));
        assertThat(cutAt20.toJson("short").asText()).isEqualTo("short");
    }

    @Test
    void cutNeverSplitsAnEmoji() {
        String text = "z".repeat(19) + "\uD83D\uDE00" + "tail";

        assertThat(cutAt20.toJson(text).asText()).isEqualTo("z".repeat(19) + "…[truncated 6 chars]");
    }

    // ---- helpers and fixtures ------------------------------------------------------------------------------

    private String json(Object value) {
        return converter.toJson(value).toString();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    enum Mood {
        HAPPY {
            @Override
            public String toString() {
                return "happy :)";
            }
        }
    }

    record Message(String role, String content) {
    }

    record Login(String user, String password) {
    }

    public static final class Forecast {
        private final String city;
        private final int temperature;
        private final boolean sunny;

        public Forecast(String city, int temperature, boolean sunny) {
            this.city = city;
            this.temperature = temperature;
            this.sunny = sunny;
        }

        public String getCity() {
            return city;
        }

        public int getTemperature() {
            return temperature;
        }

        public boolean isSunny() {
            return sunny;
        }
    }

    public static final class Credentials {
        private final String user;
        private final String apiKey;

        public Credentials(String user, String apiKey) {
            this.user = user;
            this.apiKey = apiKey;
        }

        public String getUser() {
            return user;
        }

        public String getApiKey() {
            return apiKey;
        }
    }

    public static final class Agent {
        private final String name;
        private Agent peer;

        public Agent(String name) {
            this.name = name;
        }

        public String getName() {
            return name;
        }

        public Agent getPeer() {
            return peer;
        }

        public void setPeer(Agent peer) {
            this.peer = peer;
        }
    }

    public static final class FlakyGetter {
        public int getId() {
            throw new IllegalStateException("not loaded");
        }

        @Override
        public String toString() {
            return "FlakyGetter(id=7)";
        }
    }

    public static final class BrokenEverywhere {
        public String getName() {
            throw new IllegalStateException("not loaded");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("not loaded either");
        }
    }

    static final class FailingIterable implements Iterable<Object> {
        private final Throwable failure;

        FailingIterable(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public Iterator<Object> iterator() {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Object next() {
                    if (failure instanceof RuntimeException) {
                        throw (RuntimeException) failure;
                    }
                    throw (Error) failure;
                }
            };
        }

        @Override
        public String toString() {
            throw new IllegalStateException("no toString either");
        }
    }

    @SuppressWarnings("unused")
    static final class Invoice {
        private static final String CURRENCY = "EUR";
        private final String number;
        private final int total;

        Invoice(String number, int total) {
            this.number = number;
            this.total = total;
        }
    }

    @SuppressWarnings("unused")
    static final class Session {
        private final String id;
        private final String refreshToken;

        Session(String id, String refreshToken) {
            this.id = id;
            this.refreshToken = refreshToken;
        }
    }
}
