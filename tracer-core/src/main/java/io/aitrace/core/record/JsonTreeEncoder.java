package io.aitrace.core.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;

/**
 * Writes a JSON tree through a generator by walking it, with the same output as
 * {@code ObjectMapper.writeTree} under default settings. The writer encodes every attribute, input and output
 * this way: going through the mapper built a serializer provider for each value.
 */
final class JsonTreeEncoder {
    private JsonTreeEncoder() {
    }

    /** Writes {@code field} and its value; a null value is written as JSON null. */
    static void writeField(JsonGenerator json, String field, JsonNode value) throws IOException {
        json.writeFieldName(field);
        write(json, value);
    }

    /** Writes {@code field} (already encoded) and its value; a null value is written as JSON null. */
    static void writeField(JsonGenerator json, SerializableString field, JsonNode value) throws IOException {
        json.writeFieldName(field);
        write(json, value);
    }

    /** Writes one value; a Java null is written as JSON null. */
    static void write(JsonGenerator json, JsonNode node) throws IOException {
        if (node == null) {
            json.writeNull();
            return;
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                json.writeStartObject();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    json.writeFieldName(e.getKey());
                    write(json, e.getValue());
                }
                json.writeEndObject();
            }
            case ARRAY -> {
                json.writeStartArray();
                for (int i = 0, n = node.size(); i < n; i++) {
                    write(json, node.get(i));
                }
                json.writeEndArray();
            }
            case STRING -> json.writeString(node.textValue());
            case BOOLEAN -> json.writeBoolean(node.booleanValue());
            case NULL -> json.writeNull();
            case NUMBER -> writeNumber(json, node);
            default -> json.writeTree(node); // binary, POJO, missing: rare, left to the mapper
        }
    }

    private static void writeNumber(JsonGenerator json, JsonNode node) throws IOException {
        switch (node.numberType()) {
            case INT -> json.writeNumber(node.intValue());
            case LONG -> json.writeNumber(node.longValue());
            case BIG_INTEGER -> json.writeNumber(node.bigIntegerValue());
            case FLOAT -> json.writeNumber(node.floatValue());
            case DOUBLE -> json.writeNumber(node.doubleValue());
            default -> json.writeNumber(node.decimalValue());
        }
    }
}
