package org.clusterpool.node.task.builtin;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * {@code await asyncio.sleep(seconds)}: completes after the delay and holds no thread meanwhile.
 */
public final class Sleep implements AsyncTask<Double, Double> {
  /**
   * A call longer than the coordinator's longest chunk deadline ({@code clusterpool.chunk.timeout},
   * 10 minutes) would be stopped and run again: the limit stays well under it.
   */
  static final double MAX_SECONDS = 300;

  @Override
  public String name() {
    return "sleep";
  }

  @Override
  public String description() {
    return "waits the given seconds without holding a thread (asyncio.sleep); returns the seconds";
  }

  @Override
  public ValueType<Double> inputType() {
    return ValueTypes.DOUBLE;
  }

  @Override
  public ValueType<Double> outputType() {
    return ValueTypes.DOUBLE;
  }

  @Override
  public void validate(Double seconds) {
    checkSeconds(name(), seconds);
  }

  static void checkSeconds(String task, double seconds) {
    if (!(seconds >= 0 && seconds <= MAX_SECONDS)) { // NaN too
      throw new IllegalArgumentException(
          task
              + ": "
              + seconds
              + " s is out of range: accepted 0.."
              + (long) MAX_SECONDS
              + " seconds");
    }
  }

  @Override
  public CompletionStage<Double> apply(Double seconds, TaskContext context) {
    validate(seconds);
    return context.sleep(Duration.ofNanos((long) (seconds * 1e9))).thenApply(done -> seconds);
  }
}
