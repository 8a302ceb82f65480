package org.clusterpool.node.task.builtin;

import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/** Which worker, node and process ran the input: makes the pool's spread visible. */
public final class WhoAmI implements CpuTask<Long, WhoAmI.Answer> {

  /** Where an input ran. */
  public record Answer(long input, String worker, String node, long pid) {
    @Override
    public String toString() {
      return input + " " + worker + " " + node + " pid " + pid;
    }
  }

  private static final ValueType<Answer> ANSWER = ValueTypes.record(Answer.class);

  @Override
  public String name() {
    return "whoami";
  }

  @Override
  public String description() {
    return "which worker, node and JVM pid ran the input";
  }

  @Override
  public ValueType<Long> inputType() {
    return ValueTypes.LONG;
  }

  @Override
  public ValueType<Answer> outputType() {
    return ANSWER;
  }

  @Override
  public Answer apply(Long input, TaskContext context) {
    return new Answer(input, context.workerName(), context.nodeAddress(), context.pid());
  }
}
