package org.clusterpool.node.task.builtin;

import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * The course's "global" counter, in a worker: {@code global counter; counter += n}. Each worker has
 * its own copy ({@link TaskContext#globals()}), so a worker only ever sees its own increments, like
 * a process of a Pool.
 */
public final class Increment implements CpuTask<Long, Increment.Counted> {

  /** The name of the counter in the worker's globals. */
  public static final String COUNTER = "counter";

  /** Which worker counted, and its counter after adding {@code amount}. */
  public record Counted(long amount, String worker, String node, long pid, long counter) {
    @Override
    public String toString() {
      return worker + " (pid " + pid + "): counter = " + counter;
    }
  }

  private static final ValueType<Counted> COUNTED = ValueTypes.record(Counted.class);

  @Override
  public String name() {
    return "increment";
  }

  @Override
  public String description() {
    return "adds the input to this worker's own counter (a global no other worker sees); returns"
        + " the worker and the new value";
  }

  @Override
  public ValueType<Long> inputType() {
    return ValueTypes.LONG;
  }

  @Override
  public ValueType<Counted> outputType() {
    return COUNTED;
  }

  @Override
  public Counted apply(Long amount, TaskContext context) {
    long counter = context.globals().merge(COUNTER, amount, Math::addExact);
    return new Counted(amount, context.workerName(), context.nodeAddress(), context.pid(), counter);
  }
}
