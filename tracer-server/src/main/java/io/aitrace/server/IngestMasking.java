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
    private static final SecretKeys SECRETS = new SecretKeys(terms());
    private static final ValueConverter CONVERTER = new ValueConverter(SECRETS, Integer.MAX_VALUE);
    /** Within these bounds the converter only masks (its own are 32 levels and 10,000 items). */
    static final int PLAIN_DEPTH = 16;
    static final int PLAIN_ITEMS = 1_000;

    private IngestMasking() {
    }

    /** The log with its attributes masked; the same log when nothing in them looks secret. */
    static LogEntry mask(LogEntry log) {
        if (log.attrs().isEmpty() || isPlain(log.attrs(), 0)) {
            return log; // no key to mask: converting would give the same attributes back
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

    /** Whether masking would hide the value under this key. */
    static boolean isSecretKey(String key) {
        return SECRETS.isSecret(key);
    }

    /** Whether the value holds no secret-looking key, within bounds the converter leaves as they are. */
    private static boolean isPlain(Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            if (depth >= PLAIN_DEPTH || map.size() > PLAIN_ITEMS) {
                return false;
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key) || SECRETS.isSecret(key) || !isPlain(e.getValue(), depth + 1)) {
                    return false;
                }
            }
        } else if (value instanceof List<?> list) {
            if (depth >= PLAIN_DEPTH || list.size() > PLAIN_ITEMS) {
                return false;
            }
            for (Object item : list) {
                if (!isPlain(item, depth + 1)) {
                    return false;
                }
            }
        }
        return true;
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
