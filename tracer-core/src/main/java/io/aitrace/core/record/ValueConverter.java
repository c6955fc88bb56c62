package io.aitrace.core.record;

import io.aitrace.core.internal.Diagnostics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns any application value into an immutable JSON tree, as the record format says: UUID → string,
 * java.time → ISO-8601, Duration → seconds, BigDecimal → number, enum → name, Set → array, record/bean →
 * object, Optional → value or null, byte[] → base64, Throwable → error object, anything else → its fields
 * with {@code "__type__"}. Secret-looking keys are masked at any depth and long strings are cut.
 *
 * <p>It runs on the application thread, when the value is handed over, so that a list the application
 * changes later (a conversation that grows) is recorded as it was. It never throws: a getter or
 * {@code toString} that throws, a cycle, or a structure too deep becomes a string.
 */
public final class ValueConverter {
    static final String MASK = "***";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_ITEMS = 10_000;
    private static final ClassValue<List<Accessor>> ACCESSORS = new ClassValue<>() {
        @Override
        protected List<Accessor> computeValue(Class<?> type) {
            return accessorsOf(type);
        }
    };

    private final SecretKeys secrets;
    private final int maxStringLength;

    public ValueConverter(SecretKeys secrets, int maxStringLength) {
        this.secrets = secrets;
        this.maxStringLength = Math.max(16, maxStringLength);
    }

    /** The JSON form of a value; never throws. */
    public JsonNode toJson(Object value) {
        try {
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                return convert(value, null, 0); // a scalar: no path of containers to track for cycles
            }
            return convert(value, new IdentityHashMap<>(8), 0);
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return unconvertible(value, e);
        }
    }

    /** The value for {@code key}: masked when the key looks secret, converted otherwise. */
    public JsonNode toJson(String key, Object value) {
        if (isMasked(key, value)) {
            return TextNode.valueOf(MASK);
        }
        return toJson(value);
    }

    /** A string cut to the configured limit, with a marker saying how much was cut. */
    public String cut(String text) {
        if (text == null || text.length() <= maxStringLength) {
            return text;
        }
        int end = maxStringLength;
        if (Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
            end--; // never leave half of an emoji behind: it is not valid UTF-8
        }
        return text.substring(0, end) + "…[truncated " + (text.length() - end) + " chars]";
    }

    /** The exception as the record format's error object: type, message, stack. */
    public ObjectNode errorObject(Throwable error) {
        ObjectNode node = NODES.objectNode();
        node.put("type", error.getClass().getName());
        String message;
        try {
            message = error.getMessage();
        } catch (RuntimeException e) {
            message = "<getMessage threw " + e.getClass().getName() + ">";
        }
        node.put("message", cut(message));
        StringWriter stack = new StringWriter();
        try {
            error.printStackTrace(new PrintWriter(stack));
        } catch (RuntimeException e) {
            stack.append(error.getClass().getName());
        }
        node.put("stack", cut(stack.toString()));
        return node;
    }

    private boolean isMasked(String key, Object value) {
        // Numbers and booleans are never secrets: "token_count": 42 stays readable.
        return value != null && !isNumberOrBoolean(value) && secrets.isSecret(key);
    }

    private static boolean isNumberOrBoolean(Object value) {
        if (value instanceof JsonNode) {
            JsonNode node = (JsonNode) value;
            return node.isNumber() || node.isBoolean() || node.isNull() || node.isMissingNode();
        }
        return value instanceof Number || value instanceof Boolean || value instanceof OptionalInt
                || value instanceof OptionalLong || value instanceof OptionalDouble;
    }

    private JsonNode convert(Object value, IdentityHashMap<Object, Boolean> path, int depth) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String) {
            return TextNode.valueOf(cut((String) value));
        }
        if (value instanceof Boolean) {
            return NODES.booleanNode((Boolean) value);
        }
        if (value instanceof Number) {
            return number((Number) value);
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof UUID) {
            return TextNode.valueOf(cut(value.toString()));
        }
        if (value instanceof Enum) {
            return TextNode.valueOf(((Enum<?>) value).name());
        }
        if (value instanceof JsonNode && !((JsonNode) value).isContainerNode()) {
            // Containers go through structure() below, so that their keys are masked and strings cut.
            JsonNode node = (JsonNode) value;
            if (node instanceof POJONode) {
                return convert(((POJONode) node).getPojo(), path, depth);
            }
            return node.isTextual() ? TextNode.valueOf(cut(node.textValue())) : node.deepCopy();
        }
        if (value instanceof Path) {
            // A Path is an Iterable of Paths, each of them iterable again: it would nest until cut.
            return TextNode.valueOf(cut(value.toString()));
        }
        if (value instanceof Duration) {
            return seconds((Duration) value);
        }
        if (value instanceof TemporalAccessor) {
            return TextNode.valueOf(temporal((TemporalAccessor) value));
        }
        if (value instanceof Date) {
            return TextNode.valueOf(date((Date) value));
        }
        if (value instanceof Calendar) {
            return TextNode.valueOf(((Calendar) value).toInstant().toString());
        }
        if (value instanceof Optional) {
            return convert(((Optional<?>) value).orElse(null), path, depth);
        }
        if (value instanceof OptionalInt) {
            OptionalInt o = (OptionalInt) value;
            return o.isPresent() ? NODES.numberNode(o.getAsInt()) : NODES.nullNode();
        }
        if (value instanceof OptionalLong) {
            OptionalLong o = (OptionalLong) value;
            return o.isPresent() ? NODES.numberNode(o.getAsLong()) : NODES.nullNode();
        }
        if (value instanceof OptionalDouble) {
            OptionalDouble o = (OptionalDouble) value;
            return o.isPresent() ? NODES.numberNode(o.getAsDouble()) : NODES.nullNode();
        }
        if (value instanceof byte[]) {
            return TextNode.valueOf(cut(Base64.getEncoder().encodeToString((byte[]) value)));
        }
        if (value instanceof Throwable) {
            return errorObject((Throwable) value);
        }
        if (value instanceof Class) {
            return TextNode.valueOf(((Class<?>) value).getName());
        }
        if (depth >= MAX_DEPTH) {
            return TextNode.valueOf("<too deep: " + typeName(value) + ">");
        }
        if (path.put(value, Boolean.TRUE) != null) {
            return TextNode.valueOf("<cycle: " + typeName(value) + ">");
        }
        try {
            return structure(value, path, depth);
        } catch (Throwable e) {
            // A collection whose iterator throws, a lazy value that fails to load: only this value is lost.
            rethrowIfFatal(e);
            return unconvertible(value, e);
        } finally {
            path.remove(value);
        }
    }

    private JsonNode structure(Object value, IdentityHashMap<Object, Boolean> path, int depth) {
        if (value instanceof ObjectNode) {
            ObjectNode node = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : ((ObjectNode) value).properties()) {
                node.set(e.getKey(), isMasked(e.getKey(), e.getValue()) ? TextNode.valueOf(MASK)
                        : convert(e.getValue(), path, depth + 1));
            }
            return node;
        }
        if (value instanceof Map) {
            ObjectNode node = NODES.objectNode();
            int n = 0;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (n++ >= MAX_ITEMS) {
                    node.put("…", "[" + (((Map<?, ?>) value).size() - MAX_ITEMS) + " more entries]");
                    break;
                }
                String key = String.valueOf(e.getKey());
                node.set(key, isMasked(key, e.getValue()) ? TextNode.valueOf(MASK)
                        : convert(e.getValue(), path, depth + 1));
            }
            return node;
        }
        if (value instanceof Iterable) {
            ArrayNode array = NODES.arrayNode();
            for (Object item : (Iterable<?>) value) {
                if (array.size() >= MAX_ITEMS) {
                    array.add("…[more items]");
                    break;
                }
                array.add(convert(item, path, depth + 1));
            }
            return array;
        }
        if (value.getClass().isArray()) {
            ArrayNode array = NODES.arrayNode();
            int length = Array.getLength(value);
            for (int i = 0; i < length && i < MAX_ITEMS; i++) {
                array.add(convert(Array.get(value, i), path, depth + 1));
            }
            if (length > MAX_ITEMS) {
                array.add("…[" + (length - MAX_ITEMS) + " more items]");
            }
            return array;
        }
        return object(value, path, depth);
    }

    private JsonNode object(Object value, IdentityHashMap<Object, Boolean> path, int depth) {
        Class<?> type = value.getClass();
        List<Accessor> accessors = ACCESSORS.get(type);
        if (accessors.isEmpty()) {
            return TextNode.valueOf(safeToString(value));
        }
        ObjectNode node = NODES.objectNode();
        if (accessors.get(0).isField) {
            node.put("__type__", type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName());
        }
        for (Accessor accessor : accessors) {
            Object property;
            try {
                property = accessor.get(value);
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError) {
                    throw (VirtualMachineError) e;
                }
                return TextNode.valueOf(safeToString(value));
            }
            node.set(accessor.name, isMasked(accessor.name, property) ? TextNode.valueOf(MASK)
                    : convert(property, path, depth + 1));
        }
        return node;
    }

    private static void rethrowIfFatal(Throwable e) {
        // Out of memory, an internal JVM error: nothing sensible to record. A stack overflow is recoverable.
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
        }
    }

    private static TextNode unconvertible(Object value, Throwable e) {
        String reason;
        try {
            reason = Diagnostics.describe(e);
        } catch (RuntimeException again) {
            reason = e.getClass().getSimpleName();
        }
        return TextNode.valueOf("<unconvertible " + typeName(value) + ": " + reason + ">");
    }

    private String safeToString(Object value) {
        try {
            return cut(String.valueOf(value));
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e;
            }
            return "<" + typeName(value) + ": toString threw " + e.getClass().getName() + ">";
        }
    }

    private static JsonNode number(Number n) {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return NODES.numberNode(n.intValue());
        }
        if (n instanceof Long || n instanceof AtomicLong || n instanceof AtomicInteger) {
            return NODES.numberNode(n.longValue());
        }
        if (n instanceof Float) {
            // As a float, so 0.1f is written 0.1 rather than 0.10000000149011612.
            float f = n.floatValue();
            return Float.isFinite(f) ? NODES.numberNode(f) : TextNode.valueOf(Float.toString(f));
        }
        if (n instanceof Double) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? NODES.numberNode(d) : TextNode.valueOf(Double.toString(d));
        }
        if (n instanceof BigDecimal) {
            return NODES.numberNode((BigDecimal) n);
        }
        if (n instanceof BigInteger) {
            return NODES.numberNode((BigInteger) n);
        }
        return NODES.numberNode(n.doubleValue());
    }

    /** Seconds, exact to the nanosecond: 1.5, and whole seconds as 60 (not 6E+1). */
    private static JsonNode seconds(Duration d) {
        if (d.getNano() == 0) {
            return NODES.numberNode(d.getSeconds());
        }
        return NODES.numberNode(BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9))
                .stripTrailingZeros());
    }

    private static String date(Date date) {
        try {
            return date.toInstant().toString();
        } catch (UnsupportedOperationException e) {
            // java.sql.Date and java.sql.Time have no instant; their toString is ISO-8601 (2026-11-21, 18:00:05).
            return date.toString();
        }
    }

    private static String temporal(TemporalAccessor t) {
        if (t instanceof ZonedDateTime) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        if (t instanceof OffsetDateTime) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        return t.toString();
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /** How to read one property: a record component, a bean getter or a field. */
    private static final class Accessor {
        final String name;
        final Method method;
        final Field field;
        final boolean isField;

        Accessor(String name, Method method, Field field) {
            this.name = name;
            this.method = method;
            this.field = field;
            this.isField = field != null;
        }

        Object get(Object target) throws Exception {
            return method != null ? method.invoke(target) : field.get(target);
        }
    }

    private static List<Accessor> accessorsOf(Class<?> type) {
        List<Accessor> result = new ArrayList<>();
        try {
            if (type.isRecord()) {
                for (RecordComponent c : type.getRecordComponents()) {
                    Method m = c.getAccessor();
                    m.setAccessible(true);
                    result.add(new Accessor(c.getName(), m, null));
                }
                return result;
            }
            if (type.getName().startsWith("java.") || type.getName().startsWith("javax.")
                    || type.getName().startsWith("jdk.") || type.getName().startsWith("sun.")) {
                return Collections.emptyList();
            }
            if (Modifier.isPublic(type.getModifiers())) {
                for (Method m : type.getMethods()) {
                    String property = propertyName(m);
                    if (property != null) {
                        result.add(new Accessor(property, m, null));
                    }
                }
            }
            if (!result.isEmpty()) {
                result.sort((a, b) -> a.name.compareTo(b.name));
                return result;
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int mod = f.getModifiers();
                    if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isSynthetic()) {
                        continue;
                    }
                    f.setAccessible(true);
                    result.add(new Accessor(f.getName(), null, f));
                }
            }
        } catch (RuntimeException e) {
            // Inaccessible (a JDK-internal class, a module that does not open): fall back to toString.
            return Collections.emptyList();
        }
        return result;
    }

    private static String propertyName(Method m) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                || m.getReturnType() == void.class) {
            return null;
        }
        String name = m.getName();
        if (name.startsWith("get") && name.length() > 3) {
            return Character.toLowerCase(name.charAt(3)) + name.substring(4);
        }
        if (name.startsWith("is") && name.length() > 2
                && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
            return Character.toLowerCase(name.charAt(2)) + name.substring(3);
        }
        return null;
    }
}
