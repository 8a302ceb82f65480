package org.clusterpool.node.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link Values} are written by Jackson: {@code [tag, payload]}. Numbers and booleans go as one
 * binary string (CBOR writes it as raw bytes, without a per-number header), so a chunk of results
 * is copied rather than formatted; that is what keeps the hot path off Jackson's per-value cost.
 */
final class ValuesJson {
  private ValuesJson() {}

  private static final String RANGE = "r";
  private static final String LONGS = "l";
  private static final String DOUBLES = "d";
  private static final String BOOLEANS = "b";
  private static final String TEXTS = "t";
  private static final String JSONS = "j";

  static final class Writer extends StdSerializer<Values> {
    Writer() {
      super(Values.class);
    }

    @Override
    public void serialize(Values values, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartArray();
      if (values instanceof Values.LongRange r) {
        gen.writeString(RANGE);
        gen.writeNumber(r.start());
        gen.writeNumber(r.count());
      } else if (values instanceof Values.Longs l) {
        gen.writeString(LONGS);
        ByteBuffer buffer =
            ByteBuffer.allocate(l.values().length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(l.values());
        gen.writeBinary(buffer.array());
      } else if (values instanceof Values.Doubles d) {
        gen.writeString(DOUBLES);
        ByteBuffer buffer =
            ByteBuffer.allocate(d.values().length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(d.values());
        gen.writeBinary(buffer.array());
      } else if (values instanceof Values.Booleans b) {
        gen.writeString(BOOLEANS);
        byte[] bytes = new byte[b.values().length];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (b.values()[i] ? 1 : 0);
        gen.writeBinary(bytes);
      } else if (values instanceof Values.Texts t) {
        gen.writeString(TEXTS);
        gen.writeStartArray();
        for (String s : t.values()) {
          if (s == null) gen.writeNull();
          else gen.writeString(s);
        }
        gen.writeEndArray();
      } else if (values instanceof Values.Jsons j) {
        gen.writeString(JSONS);
        gen.writeStartArray();
        for (JsonNode node : j.values())
          gen.writeTree(node == null ? NullNode.getInstance() : node);
        gen.writeEndArray();
      }
      gen.writeEndArray();
    }
  }

  static final class Reader extends StdDeserializer<Values> {
    Reader() {
      super(Values.class);
    }

    @Override
    public Values deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      expect(p, p.currentToken(), JsonToken.START_ARRAY, ctxt);
      expect(p, p.nextToken(), JsonToken.VALUE_STRING, ctxt);
      String tag = p.getText();
      Values values =
          switch (tag) {
            case RANGE -> {
              p.nextToken();
              long start = p.getLongValue();
              p.nextToken();
              yield new Values.LongRange(start, p.getIntValue());
            }
            case LONGS -> {
              byte[] bytes = binary(p, ctxt);
              long[] out = new long[bytes.length / Long.BYTES];
              ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
              yield new Values.Longs(out);
            }
            case DOUBLES -> {
              byte[] bytes = binary(p, ctxt);
              double[] out = new double[bytes.length / Double.BYTES];
              ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
              yield new Values.Doubles(out);
            }
            case BOOLEANS -> {
              byte[] bytes = binary(p, ctxt);
              boolean[] out = new boolean[bytes.length];
              for (int i = 0; i < bytes.length; i++) out[i] = bytes[i] != 0;
              yield new Values.Booleans(out);
            }
            case TEXTS -> {
              expect(p, p.nextToken(), JsonToken.START_ARRAY, ctxt);
              List<String> out = new ArrayList<>();
              for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                out.add(t == JsonToken.VALUE_NULL ? null : p.getText());
              }
              yield new Values.Texts(out);
            }
            case JSONS -> {
              expect(p, p.nextToken(), JsonToken.START_ARRAY, ctxt);
              List<JsonNode> out = new ArrayList<>();
              for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                out.add(ctxt.readTree(p));
              }
              yield new Values.Jsons(out);
            }
            default -> throw ctxt.weirdStringException(tag, Values.class, "unknown values tag");
          };
      expect(p, p.nextToken(), JsonToken.END_ARRAY, ctxt);
      return values;
    }

    private static byte[] binary(JsonParser p, DeserializationContext ctxt) throws IOException {
      p.nextToken();
      return p.getBinaryValue(ctxt.getBase64Variant());
    }

    private static void expect(
        JsonParser p, JsonToken actual, JsonToken expected, DeserializationContext ctxt)
        throws IOException {
      if (actual != expected) {
        throw ctxt.wrongTokenException(p, Values.class, expected, "malformed values block");
      }
    }
  }
}
