package org.clusterpool.coordinator.testtasks;

import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * A test task: texts that UTF-8 cannot hold as they are. Input 0 returns a lone UTF-16 surrogate,
 * input 1 throws one in its message, others return {@code ok x}. Catalogued only on the test class
 * path.
 */
public final class LoneSurrogates implements CpuTask<Long, String> {
  @Override
  public String name() {
    return "test-lone-surrogates";
  }

  @Override
  public String description() {
    return "test only: a lone surrogate in the output (0) or in the error (1)";
  }

  @Override
  public ValueType<Long> inputType() {
    return ValueTypes.LONG;
  }

  @Override
  public ValueType<String> outputType() {
    return ValueTypes.TEXT;
  }

  @Override
  public String apply(Long x, TaskContext context) {
    if (x == 0) return "a\ud800b";
    if (x == 1) throw new IllegalStateException("bad \udc00 message");
    return "ok " + x;
  }
}
