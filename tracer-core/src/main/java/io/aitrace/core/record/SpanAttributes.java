package io.aitrace.core.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A span's attributes: keys and values in two arrays in the order first set, as a {@link java.util.LinkedHashMap}
 * keeps them (setting a key again keeps its place), found by a linear search. A span has a handful of
 * attributes, so this costs less than a hash map's table and entries on the application's thread. Not
 * thread-safe: the span guards it; once a record holds it, nobody changes it. {@code remove} is not supported.
 */
public final class SpanAttributes extends AbstractMap<String, JsonNode> {
    private String[] keys;
    private JsonNode[] values;
    private int size;

    public SpanAttributes(Map<String, JsonNode> initial) {
        int capacity = Math.max(4, initial.size() + 4);
        keys = new String[capacity];
        values = new JsonNode[capacity];
        for (Map.Entry<String, JsonNode> e : initial.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) { // keys are mostly the same literals: identity first
            if (keys[i] == key) {
                return i;
            }
        }
        if (key != null) {
            for (int i = 0; i < size; i++) {
                if (key.equals(keys[i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        int at = indexOf(key);
        if (at >= 0) {
            JsonNode old = values[at];
            values[at] = value;
            return old;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        size++;
        return null;
    }

    @Override
    public JsonNode get(Object key) {
        int at = indexOf(key);
        return at < 0 ? null : values[at];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    /** The key at {@code index} (0 to {@link #size()}), in order: for encoders that walk it without iterators. */
    public String keyAt(int index) {
        return keys[index];
    }

    public JsonNode valueAt(int index) {
        return values[index];
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super JsonNode> action) {
        for (int i = 0; i < size; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, JsonNode>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, JsonNode> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int at = next++;
                        return new SimpleImmutableEntry<>(keys[at], values[at]);
                    }
                };
            }
        };
    }
}
