package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * About how many bytes of heap the API's values take: before a job runs, from its types alone (what
 * admits it), and once its values exist, from the values themselves. Estimates on the high side for
 * a 64-bit JVM (8-byte references, 16-byte object headers), never a measure: they bound memory,
 * they do not account for it.
 */
final class HeapSizes {
  private HeapSizes() {}

  /** One slot of a page or a list: a reference, or a primitive number. */
  static final long SLOT = 8;

  private static final long HEADER = 16;

  /**
   * A result, guessed from its task's output type before any exists: what a job is admitted with.
   */
  static long guessResult(ValueType<?> type) {
    if (type == ValueTypes.LONG || type == ValueTypes.DOUBLE || type == ValueTypes.BOOLEAN)
      return SLOT;
    if (type == ValueTypes.TEXT) return SLOT + string(64);
    return SLOT + 256; // a record: a few numbers and short strings, as JSON when read
  }

  /** One call's entry of a gather (position, call, value or error, worker), before any exists. */
  static long guessGatherEntry() {
    return SLOT + 640;
  }

  /**
   * A listed input as the parser holds it, guessed from its type before it is parsed: a boxed
   * number in a list, or an object whose text the request body bounds ({@code bodyBytes} in all).
   */
  static long guessInputs(ValueType<?> type, long count, long bodyBytes) {
    if (type == ValueTypes.LONG || type == ValueTypes.DOUBLE || type == ValueTypes.BOOLEAN)
      return count * (SLOT + HEADER + 8);
    return count * (SLOT + 96) + 2 * bodyBytes;
  }

  /** The calls of a gather as parsed: each a call object, its input and its label. */
  static long guessCalls(long count, long bodyBytes) {
    return count * (SLOT + 160) + 2 * bodyBytes;
  }

  /**
   * A string of {@code length} characters, counted at two bytes each (one for Latin-1 text, which
   * is most).
   */
  static long string(long length) {
    return HEADER + 24 + align(2 * length);
  }

  /**
   * A value as the API holds it: a string, a JSON tree, or a record (counted as its JSON tree,
   * which is larger).
   */
  static <T> long value(ValueType<T> type, T value) {
    if (value == null
        || type == ValueTypes.LONG
        || type == ValueTypes.DOUBLE
        || type == ValueTypes.BOOLEAN) return 0;
    if (value instanceof String text) return string(text.length());
    if (value instanceof JsonNode json) return json(json);
    return json(type.toJson(value));
  }

  /** A JSON tree, node by node. */
  static long json(JsonNode node) {
    if (node == null) return 0;
    return switch (node.getNodeType()) {
      case OBJECT -> {
        long bytes =
            HEADER
                + 64
                + SLOT
                    * Math.max(
                        16, Integer.highestOneBit(Math.max(1, node.size()) * 2)); // a LinkedHashMap
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          bytes += 40 + string(field.getKey().length()) + json(field.getValue());
        }
        yield bytes;
      }
      case ARRAY -> {
        long bytes = HEADER + 24 + HEADER + SLOT * node.size();
        for (JsonNode element : node) bytes += json(element);
        yield bytes;
      }
      case STRING -> HEADER + string(node.textValue().length());
      case NUMBER -> HEADER + 16;
      case BINARY -> HEADER + HEADER + node.size();
      default -> 0; // true, false and null are shared instances
    };
  }

  /** {@code 12.5 MiB}, for messages. */
  static String mebibytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
