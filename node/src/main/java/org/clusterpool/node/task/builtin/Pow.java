package org.clusterpool.node.task.builtin;

import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/** {@code pow(base, exponent)}, the two-argument function that {@code starmap} is made for. */
public final class Pow implements CpuTask<Pow.Args, Long> {

  /** The arguments, read from the command line as {@code base,exponent}. */
  public record Args(long base, long exponent) {
    public Args {
      if (exponent < 0 || exponent > 63) {
        throw new IllegalArgumentException(
            "pow: exponent " + exponent + " is out of range: accepted 0..63");
      }
    }
  }

  private static final ValueType<Args> ARGS = ValueTypes.record(Args.class);

  @Override
  public String name() {
    return "pow";
  }

  @Override
  public String description() {
    return "base ** exponent for a pair base,exponent (for starmap); fails on overflow";
  }

  @Override
  public ValueType<Args> inputType() {
    return ARGS;
  }

  @Override
  public ValueType<Long> outputType() {
    return ValueTypes.LONG;
  }

  @Override
  public Long apply(Args args, TaskContext context) {
    long result = 1;
    for (long i = 0; i < args.exponent(); i++) result = Math.multiplyExact(result, args.base());
    return result;
  }
}
