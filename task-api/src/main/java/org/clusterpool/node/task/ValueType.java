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
}
