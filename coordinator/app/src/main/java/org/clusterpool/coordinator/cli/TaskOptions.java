package org.clusterpool.coordinator.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.catalog.TaskLoadException;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.catalog.TaskSource;
import picocli.CommandLine.Option;

/**
 * {@code --tasks PATH} on every command that runs or serves tasks: the user's own tasks, besides
 * clusterpool's. Without it, the config's ({@code clusterpool.tasks.path}, which {@code
 * CLUSTERPOOL_TASKS} sets). The tasks are loaded before anything starts, and what is wrong with
 * them is one line and exit code 2.
 */
public final class TaskOptions {

  @Option(
      names = "--tasks",
      paramLabel = "PATH",
      description =
          "A jar of your own tasks, or a directory of their classes or of jars (repeatable); every"
              + " JVM this command starts gets the same (default: clusterpool.tasks.path,"
              + " CLUSTERPOOL_TASKS).")
  List<Path> paths = new ArrayList<>();

  private TaskCatalog catalog;

  /**
   * The paths given on the command line, absolute; empty when none was: then the config's count.
   */
  public List<Path> given() {
    return TaskPaths.of(paths).paths();
  }

  /** The paths that count for a member of {@code config}: those given, else the config's. */
  public TaskPaths resolved(Config config) {
    TaskPaths configured = TaskPaths.fromConfig(config);
    return paths.isEmpty() ? configured : configured.withPaths(paths);
  }

  /**
   * The catalog of this command under {@code config}, loaded once; tasks that cannot be loaded are
   * a usage error.
   */
  public TaskCatalog catalog(Config config) {
    if (catalog == null) catalog = load(resolved(config));
    return catalog;
  }

  /**
   * The catalog of a command that runs its work in this JVM or JVMs it starts (the embedded
   * config).
   */
  public TaskCatalog catalog() {
    return catalog(Main.config());
  }

  /**
   * {@code 19 tasks (2 of your own: cube, volume)}, or {@code 17 tasks}: what a member says it runs
   * when it starts.
   */
  public static String describe(TaskCatalog catalog) {
    List<String> own =
        catalog.entries().stream()
            .filter(e -> e.source().kind() == TaskSource.Kind.TASK_PATH)
            .map(e -> e.task().name())
            .toList();
    String names =
        own.size() <= 10
            ? String.join(", ", own)
            : String.join(", ", own.subList(0, 10)) + " and " + (own.size() - 10) + " more";
    return catalog.entries().size()
        + " tasks"
        + (own.isEmpty() ? "" : " (" + own.size() + " of your own: " + names + ")");
  }

  static TaskCatalog load(TaskPaths paths) {
    try {
      return TaskCatalog.load(paths);
    } catch (TaskLoadException e) {
      throw new UsageError(e.getMessage());
    }
  }
}
