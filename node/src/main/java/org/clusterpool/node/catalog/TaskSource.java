package org.clusterpool.node.catalog;

/**
 * Where a task of a catalog comes from, as {@code clusterpool tasks} shows it: clusterpool itself,
 * the class path of the program (an application's own jars, a test's classes), or a jar or
 * directory given with {@code --tasks} (or the config's {@code clusterpool.tasks}).
 */
public record TaskSource(Kind kind, String location) {

  public enum Kind {
    BUILT_IN,
    CLASS_PATH,
    TASK_PATH
  }

  public static final TaskSource BUILT_IN = new TaskSource(Kind.BUILT_IN, "");

  public static TaskSource classPath(String location) {
    return new TaskSource(Kind.CLASS_PATH, location);
  }

  public static TaskSource taskPath(String path) {
    return new TaskSource(Kind.TASK_PATH, path);
  }

  /** {@code built in}, {@code class path (target/test-classes)}, {@code /home/me/cube-task.jar}. */
  public String label() {
    return switch (kind) {
      case BUILT_IN -> "built in";
      case CLASS_PATH -> location.isEmpty() ? "class path" : "class path (" + location + ")";
      case TASK_PATH -> location;
    };
  }
}
