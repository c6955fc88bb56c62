package io.aitrace.logback;

import io.aitrace.core.SpanIds;
import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An event's MDC with the span IDs added: the thread's MDC entries, then the ID entries, as one unmodifiable map
 * that copies nothing. The thread's map is Logback's read-only snapshot (replaced, never changed, when the MDC
 * changes), so a view of it is as safe as a copy, and one instance serves every line logged in the same span
 * with the same MDC.
 */
final class MdcWithIds extends AbstractMap<String, String> implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The thread's MDC, holding none of the ID keys. */
    private final transient Map<String, String> base;
    private final transient Entry<String, String>[] ids;
    private final transient Set<Entry<String, String>> entries = new Entries();

    private MdcWithIds(Map<String, String> base, Entry<String, String>[] ids) {
        this.base = base;
        this.ids = ids;
    }

    /** {@code mdc} (null for none) with the IDs under {@code keys}; an ID key already in {@code mdc} is replaced. */
    static Map<String, String> of(Map<String, String> mdc, SpanIds span, MdcKeys keys) {
        @SuppressWarnings("unchecked")
        Entry<String, String>[] ids = new Entry[span.parentSpanId() == null ? 3 : 4];
        int i = 0;
        ids[i++] = Map.entry(keys.traceId(), span.traceId());
        ids[i++] = Map.entry(keys.spanId(), span.spanId());
        if (span.parentSpanId() != null) {
            ids[i++] = Map.entry(keys.parentSpanId(), span.parentSpanId());
        }
        ids[i] = Map.entry(keys.traceFlags(), span.traceFlags());
        Map<String, String> base = mdc == null ? Collections.emptyMap() : mdc;
        for (Entry<String, String> id : ids) {
            if (base.containsKey(id.getKey())) {
                // Rare (the application put one of the ID keys itself): a plain copy keeps its position.
                Map<String, String> copy = new LinkedHashMap<>(base);
                for (Entry<String, String> e : ids) {
                    copy.put(e.getKey(), e.getValue());
                }
                return Collections.unmodifiableMap(copy);
            }
        }
        return new MdcWithIds(base, ids);
    }

    @Override
    public int size() {
        return base.size() + ids.length;
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public String get(Object key) {
        for (Entry<String, String> id : ids) {
            if (id.getKey().equals(key)) {
                return id.getValue();
            }
        }
        return base.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        for (Entry<String, String> id : ids) {
            if (id.getKey().equals(key)) {
                return true;
            }
        }
        return base.containsKey(key);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return entries;
    }

    /** Serialized (by a SocketAppender, for one) as the plain map it reads as. */
    @Serial
    private Object writeReplace() {
        return new LinkedHashMap<>(this);
    }

    private final class Entries extends AbstractSet<Entry<String, String>> {
        @Override
        public int size() {
            return MdcWithIds.this.size();
        }

        @Override
        public Iterator<Entry<String, String>> iterator() {
            return new Iterator<>() {
                private final Iterator<Entry<String, String>> inBase =
                        base.isEmpty() ? Collections.emptyIterator() : base.entrySet().iterator();
                private int next;

                @Override
                public boolean hasNext() {
                    return inBase.hasNext() || next < ids.length;
                }

                @Override
                public Entry<String, String> next() {
                    if (inBase.hasNext()) {
                        return inBase.next();
                    }
                    if (next >= ids.length) {
                        throw new NoSuchElementException();
                    }
                    return ids[next++];
                }
            };
        }
    }
}
