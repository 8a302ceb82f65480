package org.clusterpool.node.task;

/**
 * A cpu task from integers to integers. Workers run it over a chunk without boxing a single value,
 * which is what lets a trivial task such as {@code square} go at memory speed.
 */
public interface LongTask extends CpuTask<Long, Long> {

  long applyAsLong(long input, TaskContext context) throws Exception;

  @Override
  default Long apply(Long input, TaskContext context) throws Exception {
    return applyAsLong(input, context);
  }

  @Override
  default ValueType<Long> inputType() {
    return ValueTypes.LONG;
  }

  @Override
  default ValueType<Long> outputType() {
    return ValueTypes.LONG;
  }
}
