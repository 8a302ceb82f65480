package org.clusterpool.node.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.clusterpool.node.wire.Values;

/**
 * The value types of the built-in tasks, and {@link #record} for tasks that take or return a record
 * (its type is {@link RecordType}, in a file of its own).
 */
public final class ValueTypes {
  private ValueTypes() {}

  static final ObjectMapper JSON = new ObjectMapper();

  public static final ValueType<Long> LONG = new LongType();
  public static final ValueType<Double> DOUBLE = new DoubleType();
  public static final ValueType<Boolean> BOOLEAN = new BooleanType();
  public static final ValueType<String> TEXT = new TextType();

  /**
   * A record type: read from the command line as its components separated by commas, in declaration
   * order ({@code 2,10} for {@code record PowArgs(long base, long exponent)}) or as a JSON object.
   */
  public static <R extends Record> ValueType<R> record(Class<R> type) {
    return new RecordType<>(type);
  }

  /** Reads an integer, allowing {@code _} between digits ({@code 1_000_000}). */
  static long parseLong(String text, String accepted) {
    String t = text.strip().replace("_", "");
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + accepted + ", got '" + text + "'");
    }
  }

  static double parseDouble(String text, String accepted) {
    String t = text.strip().replace("_", "");
    try {
      double d = Double.parseDouble(t);
      if (Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + accepted + ", got '" + text + "'");
    }
  }

  private static final class LongType implements ValueType<Long> {
    @Override
    public boolean carriesNull() {
      return false;
    }

    @Override
    public String name() {
      return "long";
    }

    @Override
    public String accepted() {
      return "an integer, like 42";
    }

    @Override
    public Class<Long> javaType() {
      return Long.class;
    }

    @Override
    public Long parse(String text) {
      return parseLong(text, accepted());
    }

    @Override
    public String format(Long value) {
      return String.valueOf(value);
    }

    @Override
    public JsonNode toJson(Long value) {
      return value == null ? NullNode.getInstance() : LongNode.valueOf(value);
    }

    @Override
    public Long fromJson(JsonNode json) {
      if (!json.canConvertToExactIntegral() || !json.canConvertToLong()) {
        throw new IllegalArgumentException("expected " + accepted() + ", got " + json);
      }
      return json.asLong();
    }

    @Override
    public Values encode(List<? extends Long> values) {
      long[] out = new long[values.size()];
      for (int i = 0; i < out.length; i++) {
        Long v = values.get(i);
        out[i] = v == null ? 0L : v;
      }
      return new Values.Longs(out);
    }

    @Override
    public Long decode(Values values, int index) {
      if (values instanceof Values.Longs l) return l.values()[index];
      if (values instanceof Values.LongRange r) {
        if (index < 0 || index >= r.count()) throw new IndexOutOfBoundsException(index);
        return r.start() + index;
      }
      throw mismatch(this, values);
    }
  }

  private static final class DoubleType implements ValueType<Double> {
    @Override
    public boolean carriesNull() {
      return false;
    }

    @Override
    public String name() {
      return "double";
    }

    @Override
    public String accepted() {
      return "a number, like 2.5";
    }

    @Override
    public Class<Double> javaType() {
      return Double.class;
    }

    @Override
    public Double parse(String text) {
      return parseDouble(text, accepted());
    }

    @Override
    public String format(Double value) {
      return String.valueOf(value);
    }

    @Override
    public JsonNode toJson(Double value) {
      return value == null ? NullNode.getInstance() : DoubleNode.valueOf(value);
    }

    @Override
    public Double fromJson(JsonNode json) {
      if (!json.isNumber())
        throw new IllegalArgumentException("expected " + accepted() + ", got " + json);
      return json.asDouble();
    }

    @Override
    public Values encode(List<? extends Double> values) {
      double[] out = new double[values.size()];
      for (int i = 0; i < out.length; i++) {
        Double v = values.get(i);
        out[i] = v == null ? 0.0 : v;
      }
      return new Values.Doubles(out);
    }

    @Override
    public Double decode(Values values, int index) {
      if (values instanceof Values.Doubles d) return d.values()[index];
      if (values instanceof Values.Longs l) return (double) l.values()[index];
      if (values instanceof Values.LongRange r) return (double) LONG.decode(r, index);
      throw mismatch(this, values);
    }
  }

  private static final class BooleanType implements ValueType<Boolean> {
    @Override
    public boolean carriesNull() {
      return false;
    }

    @Override
    public String name() {
      return "boolean";
    }

    @Override
    public String accepted() {
      return "true or false";
    }

    @Override
    public Class<Boolean> javaType() {
      return Boolean.class;
    }

    @Override
    public Boolean parse(String text) {
      return switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default ->
            throw new IllegalArgumentException("expected " + accepted() + ", got '" + text + "'");
      };
    }

    @Override
    public String format(Boolean value) {
      return String.valueOf(value);
    }

    @Override
    public JsonNode toJson(Boolean value) {
      return value == null ? NullNode.getInstance() : BooleanNode.valueOf(value);
    }

    @Override
    public Boolean fromJson(JsonNode json) {
      if (!json.isBoolean())
        throw new IllegalArgumentException("expected " + accepted() + ", got " + json);
      return json.asBoolean();
    }

    @Override
    public Values encode(List<? extends Boolean> values) {
      boolean[] out = new boolean[values.size()];
      for (int i = 0; i < out.length; i++) out[i] = Boolean.TRUE.equals(values.get(i));
      return new Values.Booleans(out);
    }

    @Override
    public Boolean decode(Values values, int index) {
      if (values instanceof Values.Booleans b) return b.values()[index];
      throw mismatch(this, values);
    }
  }

  private static final class TextType implements ValueType<String> {
    @Override
    public String name() {
      return "text";
    }

    @Override
    public String accepted() {
      return "any text";
    }

    @Override
    public Class<String> javaType() {
      return String.class;
    }

    @Override
    public String parse(String text) {
      return text;
    }

    @Override
    public String format(String value) {
      return value;
    }

    @Override
    public JsonNode toJson(String value) {
      return value == null ? NullNode.getInstance() : TextNode.valueOf(value);
    }

    @Override
    public String fromJson(JsonNode json) {
      if (!json.isTextual()) throw new IllegalArgumentException("expected text, got " + json);
      return json.asText();
    }

    @Override
    public Values encode(List<? extends String> values) {
      return new Values.Texts(new ArrayList<>(values));
    }

    @Override
    public String decode(Values values, int index) {
      if (values instanceof Values.Texts t) return t.values().get(index);
      throw mismatch(this, values);
    }
  }

  /**
   * Builds a record from a tuple of components, as {@code starmap} does with each argument tuple.
   */
  public static <R extends Record> R fromTuple(ValueType<R> type, List<?> tuple) {
    if (type instanceof RecordType<R> recordType) return recordType.fromComponents(tuple);
    throw new IllegalArgumentException(
        "starmap needs a task whose input is a record, not " + type.name());
  }

  static IllegalStateException mismatch(ValueType<?> type, Values values) {
    return new IllegalStateException(
        "a " + values.getClass().getSimpleName() + " block cannot hold " + type.name() + " values");
  }
}
