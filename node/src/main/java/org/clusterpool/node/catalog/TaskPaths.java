package org.clusterpool.node.catalog;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Where a JVM finds the user's tasks, besides the class path:
 *
 * <ul>
 *   <li>{@code paths}: jars of tasks, directories of their classes, or directories of jars (each
 *       given with {@code --tasks}, or by {@code clusterpool.tasks.path}, which {@code
 *       CLUSTERPOOL_TASKS} sets as a list separated by {@code :}). Each must exist and hold a task.
 *   <li>{@code directory}: a folder of jars that a deployment fills ({@code
 *       clusterpool.tasks.directory}, which {@code config/kubernetes.conf} sets to the image's
 *       {@code /app/tasks}): every jar in it is loaded, and an absent or empty folder adds nothing,
 *       so that one image serves with tasks or without.
 * </ul>
 *
 * Paths are absolute (relative ones are taken from the working directory), so that a JVM started
 * elsewhere reads the same files. Every JVM a command starts is given the same paths ({@link
 * #arguments}).
 */
public record TaskPaths(List<Path> paths, Optional<Path> directory) {

  public static final String PATH_KEY = "clusterpool.tasks.path";
  public static final String DIRECTORY_KEY = "clusterpool.tasks.directory";
  public static final TaskPaths NONE = new TaskPaths(List.of(), Optional.empty());

  public TaskPaths {
    LinkedHashSet<Path> unique = new LinkedHashSet<>();
    for (Path path : paths) unique.add(path.toAbsolutePath().normalize());
    paths = List.copyOf(unique);
    directory = directory.map(d -> d.toAbsolutePath().normalize());
  }

  public static TaskPaths of(List<Path> paths) {
    return new TaskPaths(paths, Optional.empty());
  }

  /**
   * {@code clusterpool.tasks.path} (a list of paths, or one string of paths separated by {@code :}
   * as the environment gives it) and {@code clusterpool.tasks.directory} (empty: none).
   */
  public static TaskPaths fromConfig(Config config) {
    List<Path> paths = new ArrayList<>();
    if (config.hasPath(PATH_KEY)) {
      if (config.getValue(PATH_KEY).valueType() == ConfigValueType.LIST) {
        // a list has one path an element ('--tasks a:b/t.jar' is one path): only the string that
        // CLUSTERPOOL_TASKS gives is split
        for (String p : config.getStringList(PATH_KEY)) {
          if (!p.isBlank()) paths.add(Path.of(p.strip()));
        }
      } else {
        addSplit(paths, config.getString(PATH_KEY));
      }
    }
    Optional<Path> directory = Optional.empty();
    if (config.hasPath(DIRECTORY_KEY) && !config.getString(DIRECTORY_KEY).isBlank()) {
      directory = Optional.of(Path.of(config.getString(DIRECTORY_KEY).strip()));
    }
    return new TaskPaths(paths, directory);
  }

  private static void addSplit(List<Path> paths, String value) {
    for (String part : value.split(File.pathSeparator)) {
      if (!part.isBlank()) paths.add(Path.of(part.strip()));
    }
  }

  /**
   * These paths instead of the config's ({@code --tasks} given on the command line); the
   * deployment's folder stays.
   */
  public TaskPaths withPaths(List<Path> given) {
    return new TaskPaths(given, directory);
  }

  public boolean isEmpty() {
    return paths.isEmpty() && directory.isEmpty();
  }

  /**
   * {@code --tasks P} for each path: what a JVM started by this one is given, so that it loads the
   * same tasks.
   */
  public List<String> arguments() {
    List<String> args = new ArrayList<>();
    for (Path path : paths) {
      args.add("--tasks");
      args.add(path.toString());
    }
    return args;
  }

  /**
   * The config with these paths as {@code clusterpool.tasks.path}: a member's config says which
   * tasks it runs.
   */
  public Config into(Config config) {
    List<String> strings = paths.stream().map(Path::toString).toList();
    Config out = config.withValue(PATH_KEY, ConfigValueFactory.fromIterable(strings));
    return out.withValue(
        DIRECTORY_KEY, ConfigValueFactory.fromAnyRef(directory.map(Path::toString).orElse("")));
  }
}
