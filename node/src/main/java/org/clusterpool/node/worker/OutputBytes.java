package org.clusterpool.node.worker;

import com.fasterxml.jackson.databind.JsonNode;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.wire.Values;

/**
 * About how many bytes each output of a unit will take in a message, told as the outputs are made,
 * so that a unit of large results goes out in pieces while it runs instead of all at its end.
 *
 * <p>Text, JSON and numbers are measured as they are; any other type (a record) through its JSON
 * form, which costs a conversion, so only outputs 0, 1, 3, 7, 15... are converted and the others
 * take the larger of the samples' mean and the last sample (outputs that grow along the unit are
 * followed, not averaged away).
 */
final class OutputBytes {
  private final ValueType<Object> type;
  private long sampled;
  private int samples;
  private long last;
  private long nextSample;

  @SuppressWarnings("unchecked")
  OutputBytes(ValueType<?> type) {
    this.type = (ValueType<Object>) type;
  }

  long of(Object output, int index) {
    if (output == null
        || output instanceof String
        || output instanceof JsonNode
        || output instanceof Number
        || output instanceof Boolean) {
      return Values.estimatedBytes(output);
    }
    if (index >= nextSample || samples == 0) {
      nextSample = 2L * index + 1;
      last = sample(output);
      sampled += last;
      samples++;
    }
    return Math.max(last, sampled / samples);
  }

  /** The output's bytes through its JSON form; a value that cannot be converted counts little. */
  private long sample(Object output) {
    try {
      return Values.estimatedBytes(type.toJson(output));
    } catch (RuntimeException
        | StackOverflowError e) { // encoding fails this output alone, saying why
      return 1;
    }
  }
}
