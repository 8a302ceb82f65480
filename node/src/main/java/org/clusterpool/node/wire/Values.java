package org.clusterpool.node.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A block of task inputs or outputs as it travels in a message: one column of one type, so that a chunk
 * of a million numbers is one array and not a million objects. {@link ValuesJson} writes primitive
 * columns as raw bytes.
 */
@JsonSerialize(using = ValuesJson.Writer.class)
@JsonDeserialize(using = ValuesJson.Reader.class)
public sealed interface Values
    permits Values.LongRange, Values.Longs, Values.Doubles, Values.Booleans, Values.Texts, Values.Jsons {

  int size();

  /** The values from {@code from} (inclusive) to {@code to} (exclusive), as a new block. */
  Values slice(int from, int to);

  /** About how many bytes the block takes in a message (an upper bound for text). */
  long estimatedBytes();

  /** About how many bytes one value takes in a message: 8 for a number, up to 3 a character for text. */
  static long estimatedBytes(Object value) {
    if (value instanceof String text) return 3L * text.length() + 4;
    if (value instanceof JsonNode json) return json.toString().length() + 4;
    return 8;
  }

  /** Consecutive integers {@code start, start + 1, ...}: a range input costs two numbers on the wire. */
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
      return 16;
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
      return 8L * values.length;
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
      return 8L * values.length;
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
      return values.length;
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
      return new Texts(java.util.Collections.unmodifiableList(new ArrayList<>(values.subList(from, to))));
    }

    @Override
    public long estimatedBytes() {
      long bytes = 0;
      for (String s : values) bytes += s == null ? 1 : Values.estimatedBytes(s);
      return bytes;
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
      return new Jsons(java.util.Collections.unmodifiableList(new ArrayList<>(values.subList(from, to))));
    }

    @Override
    public long estimatedBytes() {
      long bytes = 0;
      for (JsonNode node : values) bytes += node == null ? 1 : Values.estimatedBytes(node);
      return bytes;
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
