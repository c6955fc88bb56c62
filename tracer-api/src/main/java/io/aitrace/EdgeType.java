package io.aitrace;

import java.util.Locale;

/**
 * A typed link from one span to another, beside the parent-child relation.
 *
 * <pre>{@code attempt.edge(EdgeType.RETRY_OF, failedAttempt);}</pre>
 */
public enum EdgeType {
    /** This span happened because of the other one. */
    CAUSED_BY,
    /** This span consumed data the other one produced. */
    DATA_FLOW,
    /** This span is one of several alternatives branched from the other one. */
    BRANCHED_FROM,
    /** This span repeats the other one after it failed. */
    RETRY_OF,
    /** This span replaces the other one, which failed, by another route. */
    FALLBACK_OF;

    /** The name written to records, e.g. {@code "retry_of"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The edge type for a record's name ({@code "retry_of"} or {@code "RETRY_OF"}), or null. */
    public static EdgeType fromWireName(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
