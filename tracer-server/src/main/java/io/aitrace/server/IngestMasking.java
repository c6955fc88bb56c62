package io.aitrace.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.core.record.SecretKeys;
import io.aitrace.core.record.ValueConverter;
import io.aitrace.read.LogEntry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Masks log attributes under secret-looking keys when a record is ingested, by the rules every aitrace writer
 * applies before a record leaves the process (the terms of {@code aitrace.mask.keys} / {@code AITRACE_MASK_KEYS},
 * else the defaults): clients that do not mask, such as the Python client's flat log lines, store no secrets
 * either. Records of aitrace's own writers are already masked; masking them again changes nothing.
 */
final class IngestMasking {
    private static final ValueConverter CONVERTER = new ValueConverter(new SecretKeys(terms()), Integer.MAX_VALUE);

    private IngestMasking() {
    }

    /** The log with its attributes masked; the same log when nothing in them looks secret. */
    static LogEntry mask(LogEntry log) {
        if (log.attrs().isEmpty()) {
            return log;
        }
        JsonNode masked = CONVERTER.toJson(log.attrs());
        @SuppressWarnings("unchecked")
        Map<String, Object> attrs = RecordJson.MAPPER.convertValue(masked, Map.class);
        if (attrs.equals(log.attrs())) {
            return log;
        }
        return new LogEntry(log.timestamp(), log.level(), log.logger(), log.event(), log.traceId(), log.spanId(),
                log.thread(), attrs, log.error());
    }

    private static List<String> terms() {
        String configured = System.getProperty("aitrace.mask.keys");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("AITRACE_MASK_KEYS");
        }
        if (configured == null || configured.isBlank()) {
            return SecretKeys.DEFAULT_TERMS;
        }
        return Arrays.stream(configured.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
    }
}
