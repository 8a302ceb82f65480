package org.clusterpool.coordinator.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clusterpool.node.catalog.TaskJars;

/**
 * A user's jar of tasks, made at test time: {@code cube} (long -> long, refusing what overflows)
 * and {@code cube-where} (which JVM computed the cube), compiled against the task API alone. The
 * second version of the jar has another {@code cube}, which adds one: a result of it is easy to
 * tell from the first's.
 */
final class CubeSources {
  private CubeSources() {}

  static final String CUBE = "com.example.cube.Cube";
  static final String WHERE = "com.example.cube.CubeWhere";

  static String cube(String expression) {
    return """
    package com.example.cube;

    import org.clusterpool.node.task.LongTask;
    import org.clusterpool.node.task.TaskContext;

    public final class Cube implements LongTask {
      @Override public String name() { return "cube"; }
      @Override public String description() { return "x * x * x"; }
      @Override public void validate(Long x) {
        if (Math.abs(x) > 2_097_151) throw new IllegalArgumentException("cube: accepted -2097151..2097151");
      }
      @Override public long applyAsLong(long x, TaskContext context) { return %s; }
    }
    """
        .formatted(expression);
  }

  static final String CUBE_WHERE =
      """
      package com.example.cube;

      import org.clusterpool.node.task.CpuTask;
      import org.clusterpool.node.task.TaskContext;
      import org.clusterpool.node.task.ValueType;
      import org.clusterpool.node.task.ValueTypes;

      public final class CubeWhere implements CpuTask<Long, CubeWhere.Where> {
        public record Where(long cube, long pid) {}
        private static final ValueType<Where> WHERE = ValueTypes.record(Where.class);
        @Override public String name() { return "cube-where"; }
        @Override public String description() { return "x * x * x, and the pid of the JVM that computed it"; }
        @Override public ValueType<Long> inputType() { return ValueTypes.LONG; }
        @Override public ValueType<Where> outputType() { return WHERE; }
        @Override public Where apply(Long x, TaskContext context) { return new Where(x * x * x, context.pid()); }
      }
      """;

  /** The first version: {@code x * x * x}. */
  static Path v1(Path jar) throws IOException {
    return TaskJars.jar(
        jar,
        Map.of(TaskJars.file(CUBE), cube("x * x * x"), TaskJars.file(WHERE), CUBE_WHERE),
        List.of(CUBE, WHERE));
  }

  /**
   * Another version of {@code cube}: {@code x * x * x + 1}; {@code cube-where} is the same class as
   * in the first.
   */
  static Path v2(Path jar) throws IOException {
    return TaskJars.jar(
        jar,
        Map.of(TaskJars.file(CUBE), cube("x * x * x + 1"), TaskJars.file(WHERE), CUBE_WHERE),
        List.of(CUBE, WHERE));
  }
}
