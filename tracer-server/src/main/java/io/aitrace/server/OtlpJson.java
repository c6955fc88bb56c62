package io.aitrace.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads OTLP/JSON into the protobuf messages of {@code opentelemetry-proto}, driven by their descriptors. OTLP/JSON
 * is not protobuf's canonical JSON mapping: trace and span IDs are hex, not base64; enums may be numbers; field names
 * are lowerCamelCase (snake_case is accepted too); unknown fields are ignored. protobuf-java-util's JsonFormat would
 * read the IDs as base64, and would bring Guava and Gson into the host application, so Jackson walks the tree.
 */
final class OtlpJson {
    private static final Set<String> HEX_FIELDS = Set.of("trace_id", "span_id", "parent_span_id");

    private OtlpJson() {
    }

    /**
     * Merges a JSON object into a message builder.
     *
     * @throws IllegalArgumentException naming the field whose value does not fit
     */
    static void merge(JsonNode json, Message.Builder builder, String path) {
        if (!json.isObject()) {
            throw new IllegalArgumentException(path + " must be a JSON object");
        }
        Descriptor type = builder.getDescriptorForType();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            FieldDescriptor field = field(type, entry.getKey());
            JsonNode value = entry.getValue();
            if (field == null || value.isNull()) {
                continue;
            }
            String where = path + "." + entry.getKey();
            if (field.isRepeated()) {
                if (!value.isArray()) {
                    throw new IllegalArgumentException(where + " must be an array");
                }
                int i = 0;
                for (JsonNode item : value) {
                    builder.addRepeatedField(field, value(field, item, builder, where + "[" + i++ + "]"));
                }
            } else {
                builder.setField(field, value(field, value, builder, where));
            }
        }
    }

    private static FieldDescriptor field(Descriptor type, String name) {
        FieldDescriptor field = type.findFieldByName(name);
        if (field != null) {
            return field;
        }
        for (FieldDescriptor candidate : type.getFields()) {
            if (candidate.getJsonName().equals(name)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * A 64-bit field, a number or (as proto3's JSON mapping writes them) a string: signed for {@code int64} such
     * as {@code intValue}, unsigned for {@code fixed64} such as {@code startTimeUnixNano}.
     */
    private static long longValue(FieldDescriptor field, JsonNode value) {
        boolean unsigned = field.getType() == FieldDescriptor.Type.FIXED64
                || field.getType() == FieldDescriptor.Type.UINT64;
        String text = value.isNumber() ? value.bigIntegerValue().toString() : value.asText().trim();
        if (value.isNumber() && !value.isIntegralNumber()) {
            throw new IllegalArgumentException("expected an integer, not " + value);
        }
        return unsigned ? Long.parseUnsignedLong(text) : Long.parseLong(text);
    }

    private static Object value(FieldDescriptor field, JsonNode value, Message.Builder parent, String where) {
        try {
            switch (field.getJavaType()) {
                case MESSAGE:
                    Message.Builder child = parent.newBuilderForField(field);
                    merge(value, child, where);
                    return child.build();
                case BYTE_STRING:
                    String text = value.asText();
                    return ByteString.copyFrom(HEX_FIELDS.contains(field.getName())
                            ? HexFormat.of().parseHex(text) : Base64.getDecoder().decode(text));
                case ENUM:
                    EnumValueDescriptor constant = value.isNumber()
                            ? field.getEnumType().findValueByNumber(value.intValue())
                            : field.getEnumType().findValueByName(value.asText());
                    if (constant == null) {
                        throw new IllegalArgumentException("unknown value " + value);
                    }
                    return constant;
                case INT:
                    return value.isNumber() ? value.intValue() : Integer.parseInt(value.asText());
                case LONG:
                    return longValue(field, value);
                case DOUBLE:
                    return value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText());
                case FLOAT:
                    return value.isNumber() ? value.floatValue() : Float.parseFloat(value.asText());
                case BOOLEAN:
                    if (!value.isBoolean()) {
                        throw new IllegalArgumentException("expected true or false");
                    }
                    return value.booleanValue();
                default:
                    if (!value.isValueNode()) {
                        throw new IllegalArgumentException("expected a string");
                    }
                    return value.asText();
            }
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException(reason.startsWith(where) ? reason : where + ": " + reason, e);
        }
    }
}
