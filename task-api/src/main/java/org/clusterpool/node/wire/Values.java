package org.clusterpool.node.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A block of task inputs or outputs as it travels in a message: one column of one type, so that a
 * chunk of a million numbers is one array and not a million objects. {@link ValuesJson} writes
 * primitive columns as raw bytes.
 *
 * <p>The records of the primitive columns ({@link Longs}, {@link Doubles}, {@link Booleans}) look
 * alike on purpose: Java's generics do not reach primitive arrays, and a boxed column would cost
 * the very objects this type avoids.
 */
@JsonSerialize(using = ValuesJson.Writer.class)
@JsonDeserialize(using = ValuesJson.Reader.class)
public sealed interface Values
    permits Values.LongRange,
        Values.Longs,
        Values.Doubles,
        Values.Booleans,
        Values.Texts,
        Values.Jsons {

  int size();

  /** The values from {@code from} (inclusive) to {@code to} (exclusive), as a new block. */
  Values slice(int from, int to);

  /**
   * An upper bound of the bytes the block takes in a message: what message budgets are counted in
   * (see {@code MessageBudget}). {@link #HEADER} for the block, then each value's {@link
   * #elementBytes}.
   */
  long estimatedBytes();

  /** An upper bound of the bytes the value at {@code index} adds to the block. */
  long elementBytes(int index);

  /**
   * The block's own bytes in a message, whatever its values: its tag and the headers of its arrays.
   */
  long HEADER = 24;

  /**
   * An upper bound of the bytes one value takes in a message: 8 for a number, up to 3 a character
   * for text.
   */
  static long estimatedBytes(Object value) {
    if (value == null) return 1;
    if (value instanceof String text) return textBytes(text);
    if (value instanceof JsonNode json) return jsonBytes(json);
    return 9;
  }

  /**
   * The text's bytes in UTF-8, and at most 5 of CBOR header: counted for a long text (an ASCII
   * result of a megabyte is a megabyte, not the three that a bound of 3 bytes a character says),
   * and bounded by 3 bytes a character for a short one, where counting would cost more than it
   * saves.
   */
  static long textBytes(String text) {
    int n = text.length();
    if (n <= 32) return 3L * n + 5;
    long bytes = n + 5L;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) continue;
      if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 2; // a surrogate pair is 4 bytes for its 2 characters
        i++;
      } else {
        bytes += c < 0x800 ? 1 : 2; // a lone surrogate is written as U+FFFD: 3 bytes
      }
    }
    return bytes;
  }

  /**
   * An upper bound of a JSON tree in CBOR, walked rather than printed: CBOR writes a number in up
   * to 9 bytes, which its JSON text ({@code 0.1}) can be shorter than.
   */
  static long jsonBytes(JsonNode node) {
    if (node == null) return 1;
    if (node.isTextual()) return textBytes(node.textValue());
    if (node.isBigInteger() || node.isBigDecimal()) return node.asText().length() + 16L;
    if (node.isNumber()) return 9;
    if (node.isBinary()) return node.asText().length() + 9L; // base64 text: longer than its bytes
    if (node.isObject()) {
      long bytes = 9;
      for (var fields = node.fields(); fields.hasNext(); ) {
        var field = fields.next();
        bytes += textBytes(field.getKey()) + jsonBytes(field.getValue());
      }
      return bytes;
    }
    if (node.isArray()) {
      long bytes = 9;
      for (JsonNode element : node) bytes += jsonBytes(element);
      return bytes;
    }
    return 1; // boolean, null, missing
  }

  /**
   * Consecutive integers {@code start, start + 1, ...}: a range input costs two numbers on the
   * wire.
   */
  record LongRange(long start, int count) implements Values {
    public LongRange {
      if (count < 0) throw new IllegalArgumentException("negative count " + count);
    }

    @Override
    public int size() {
      return count;
    }

    @Override
    public Values slice(int from, int to) {
      checkSlice(from, to, count);
      return new LongRange(start + from, to - from);
    }

    @Override
    public long estimatedBytes() {
      return HEADER + 18;
    }

    @Override
    public long elementBytes(int index) {
      return 0;
    }
  }

  record Longs(long[] values) implements Values {
    @Override
    public int size() {
      return values.length;
    }

    @Override
    public Values slice(int from, int to) {
      checkSlice(from, to, values.length);
      return new Longs(Arrays.copyOfRange(values, from, to));
    }

    @Override
    public long estimatedBytes() {
      return HEADER + 8L * values.length;
    }

    @Override
    public long elementBytes(int index) {
      return 8;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Longs other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Longs" + abbreviate(Arrays.toString(values));
    }
  }

  record Doubles(double[] values) implements Values {
    @Override
    public int size() {
      return values.length;
    }

    @Override
    public Values slice(int from, int to) {
      checkSlice(from, to, values.length);
      return new Doubles(Arrays.copyOfRange(values, from, to));
    }

    @Override
    public long estimatedBytes() {
      return HEADER + 8L * values.length;
    }

    @Override
    public long elementBytes(int index) {
      return 8;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Doubles other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Doubles" + abbreviate(Arrays.toString(values));
    }
  }

  record Booleans(boolean[] values) implements Values {
    @Override
    public int size() {
      return values.length;
    }

    @Override
    public Values slice(int from, int to) {
      checkSlice(from, to, values.length);
      return new Booleans(Arrays.copyOfRange(values, from, to));
    }

    @Override
    public long estimatedBytes() {
      return HEADER + values.length;
    }

    @Override
    public long elementBytes(int index) {
      return 1;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Booleans other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Booleans" + abbreviate(Arrays.toString(values));
    }
  }

  /** Text values; an absent output (the element failed) is {@code null}. */
  record Texts(List<String> values) implements Values {
    @Override
    public int size() {
      return values.size();
    }

    @Override
    public Values slice(int from, int to) {
      checkSlice(from, to, values.size());
      return new Texts(
          java.util.Collections.unmodifiableList(new ArrayList<>(values.subList(from, to))));
    }

    @Override
    public long estimatedBytes() {
      long bytes = HEADER;
      for (String s : values) bytes += Values.estimatedBytes(s);
      return bytes;
    }

    @Override
    public long elementBytes(int index) {
      return Values.estimatedBytes(values.get(index));
    }
  }

  /** Structured values (records) as JSON trees; an absent output is a JSON null. */
  record Jsons(List<JsonNode> values) implements Values {
    @Override
    public int size() {
      return values.size();
    }

    @Override
    public Values slice(int from, int to) {
      checkSlice(from, to, values.size());
      return new Jsons(
          java.util.Collections.unmodifiableList(new ArrayList<>(values.subList(from, to))));
    }

    @Override
    public long estimatedBytes() {
      long bytes = HEADER;
      for (JsonNode node : values) bytes += jsonBytes(node);
      return bytes;
    }

    @Override
    public long elementBytes(int index) {
      return jsonBytes(values.get(index));
    }
  }

  private static void checkSlice(int from, int to, int size) {
    if (from < 0 || to > size || from > to) {
      throw new IndexOutOfBoundsException("slice " + from + ".." + to + " of " + size);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }
}
