package com.example.cube;

import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/** The volume of a box: a task whose input is a record, read on the command line as {@code width,height,depth}. */
public final class Volume implements CpuTask<Volume.Box, Long> {

  /** A box; one that is not one (a side below 1, or too large) is refused before any work starts. */
  public record Box(long width, long height, long depth) {
    public Box {
      for (long side : new long[] {width, height, depth}) {
        if (side < 1 || side > 1_000_000) throw new IllegalArgumentException("volume: each side is accepted from 1 to 1000000");
      }
    }
  }

  private static final ValueType<Box> BOX = ValueTypes.record(Box.class);

  @Override public String name() { return "volume"; }

  @Override public String description() { return "width * height * depth of a box (for starmap)"; }

  @Override public ValueType<Box> inputType() { return BOX; }

  @Override public ValueType<Long> outputType() { return ValueTypes.LONG; }

  @Override public Long apply(Box box, TaskContext context) { return box.width() * box.height() * box.depth(); }
}
