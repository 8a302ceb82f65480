package org.clusterpool.node.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.clusterpool.node.wire.Values;

/**
 * The type of a task's input or output: how a value is read from the command line, printed, turned
 * into JSON, and packed into a {@link Values} block for the wire. The built-in types are in {@link
 * ValueTypes}.
 */
public interface ValueType<T> {

  /** {@code long}, {@code double}, {@code boolean}, {@code text}, or a record's name. */
  String name();

  /** What a valid value looks like, for error messages: {@code "an integer, like 42"}. */
  String accepted();

  Class<T> javaType();

  /**
   * Reads a value from its command-line text; throws {@link IllegalArgumentException} naming what
   * is accepted.
   */
  T parse(String text);

  /** The value as one line of text, as the command line prints it. */
  String format(T value);

  JsonNode toJson(T value);

  T fromJson(JsonNode json);

  /**
   * Packs values for the wire; a {@code null} element (a failed output) becomes the column's empty
   * value.
   */
  Values encode(List<? extends T> values);

  T decode(Values values, int index);

  /**
   * Whether {@code null} is a value of this type, as it is of text and records: a {@code long}, a
   * {@code double} or a {@code boolean} has none, so a task of such an output that returns {@code
   * null} fails that input rather than give 0, 0.0 or false as if it were its result.
   */
  default boolean carriesNull() {
    return true;
  }

  /**
   * The failure of a task of this output type that returned {@code null}, when the type has no
   * null; {@code null} otherwise.
   */
  static RuntimeException nullResult(String task, ValueType<?> output, Object value) {
    if (value != null || output.carriesNull()) return null;
    return new NullPointerException(
        "task '"
            + task
            + "' returned null, which a "
            + output.name()
            + " output has no value for: return a value, or throw to fail this input");
  }
}
