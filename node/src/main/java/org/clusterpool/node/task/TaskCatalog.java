package org.clusterpool.node.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The tasks this JVM can run, found with {@link ServiceLoader} in
 * {@code META-INF/services/org.clusterpool.node.task.Task}. A name missing here is refused before any work
 * starts, and a worker never runs a task that is not in its own catalog.
 */
public final class TaskCatalog {

  private static final class Shared {
    static final TaskCatalog INSTANCE = load(TaskCatalog.class.getClassLoader());
  }

  private final Map<String, Task<?, ?>> tasks;

  private TaskCatalog(Map<String, Task<?, ?>> tasks) {
    this.tasks = Collections.unmodifiableMap(tasks);
  }

  /** The catalog of the application class path, loaded once. */
  public static TaskCatalog shared() {
    return Shared.INSTANCE;
  }

  @SuppressWarnings("rawtypes")
  public static TaskCatalog load(ClassLoader loader) {
    Map<String, Task<?, ?>> found = new TreeMap<>();
    for (Task task : ServiceLoader.load(Task.class, loader)) {
      Task<?, ?> previous = found.putIfAbsent(task.name(), task);
      if (previous != null && previous.getClass() != task.getClass()) {
        throw new IllegalStateException(
            "two tasks are named '" + task.name() + "': " + previous.getClass().getName() + " and "
                + task.getClass().getName());
      }
    }
    return new TaskCatalog(found);
  }

  /** A catalog of exactly these tasks, for tests and embedding. */
  public static TaskCatalog of(List<Task<?, ?>> tasks) {
    Map<String, Task<?, ?>> map = new TreeMap<>();
    for (Task<?, ?> t : tasks) map.put(t.name(), t);
    return new TaskCatalog(map);
  }

  public Optional<Task<?, ?>> find(String name) {
    return Optional.ofNullable(tasks.get(name));
  }

  /** The task named so, or an {@link UnknownTaskException} that lists the names accepted. */
  public Task<?, ?> get(String name) {
    Task<?, ?> task = tasks.get(name);
    if (task == null) throw new UnknownTaskException(name, names());
    return task;
  }

  /** All tasks, by name. */
  public List<Task<?, ?>> all() {
    return new ArrayList<>(tasks.values());
  }

  public List<String> names() {
    return new ArrayList<>(tasks.keySet());
  }
}
