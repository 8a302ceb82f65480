package org.clusterpool.coordinator.testtasks;

import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.wire.Values;

/**
 * A test task whose results break the thread that takes them: it returns its input, and its output
 * type throws a {@link StackOverflowError} when it decodes {@value #OVERFLOW} and an {@link
 * OutOfMemoryError} when it decodes {@value #OUT_OF_MEMORY}. A result is decoded by its job's
 * consumer (an HTTP API job's thread), so a test sees what an error there does to the job.
 * Catalogued only on the test class path.
 */
public final class ErrorOnResult implements LongTask {
  public static final long OVERFLOW = 13;
  public static final long OUT_OF_MEMORY = 7;

  @Override
  public String name() {
    return "test-error-result";
  }

  @Override
  public String description() {
    return "test only: x, whose result "
        + OVERFLOW
        + " or "
        + OUT_OF_MEMORY
        + " throws an Error where it is taken";
  }

  @Override
  public ValueType<Long> outputType() {
    return BREAKING;
  }

  @Override
  public long applyAsLong(long x, TaskContext context) {
    return x;
  }

  private static final ValueType<Long> BREAKING =
      new DelegatingLong() {
        @Override
        public Long decode(Values values, int index) {
          Long value = ValueTypes.LONG.decode(values, index);
          if (value == OVERFLOW) throw new StackOverflowError();
          if (value == OUT_OF_MEMORY)
            throw new OutOfMemoryError(
                "Java heap space (thrown by the test task " + "test-error-result)");
          return value;
        }
      };
}
