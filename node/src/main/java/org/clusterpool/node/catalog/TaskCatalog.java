package org.clusterpool.node.catalog;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskName;
import org.clusterpool.node.text.Escapes;

/**
 * The tasks this JVM can run, each with where it comes from and its fingerprint ({@link
 * Fingerprints}): those of the class path, found with {@link ServiceLoader} in {@code
 * META-INF/services/org.clusterpool.node.task.Task} (clusterpool's own and an application's), and
 * those of the {@link TaskPaths} given ({@code --tasks}, {@code clusterpool.tasks}), loaded here in
 * a class loader of their own. A name missing here is refused before any work starts, and a worker
 * never runs a task that is not in its node's catalog.
 *
 * <p>What is wrong with the tasks given is a {@link TaskLoadException}, one line, before anything
 * starts: a path that does not exist, a jar without a task, a task class that fails to load, a name
 * that is not a task's name, two tasks of one name.
 */
public final class TaskCatalog {

  /** One task: the object workers run, its fingerprint, and where it comes from. */
  public record Entry(Task<?, ?> task, String fingerprint, TaskSource source) {}

  private static final class Shared {
    static final TaskCatalog INSTANCE = load(TaskPaths.NONE);
  }

  /**
   * Catalogs loaded in this JVM, by what they were loaded from: the same jars make the same
   * classes.
   */
  private static final Map<TaskFiles.Key, TaskCatalog> LOADED = new ConcurrentHashMap<>();

  private final Map<String, Entry> entries;
  private final TaskPaths paths;
  private final AllowedTasks allowed;

  private TaskCatalog(Map<String, Entry> entries, TaskPaths paths) {
    this(Collections.unmodifiableMap(entries), paths, AllowedTasks.ALL);
  }

  private TaskCatalog(Map<String, Entry> entries, TaskPaths paths, AllowedTasks allowed) {
    this.entries = entries;
    this.paths = paths;
    this.allowed = allowed;
  }

  /** The catalog of the class path alone, loaded once. */
  public static TaskCatalog shared() {
    return Shared.INSTANCE;
  }

  /** The class path's tasks and those of {@code paths}; the same files load once per JVM. */
  public static TaskCatalog load(TaskPaths paths) {
    TaskFiles files = TaskFiles.expand(paths);
    TaskCatalog known = LOADED.get(files.key());
    if (known != null) return known;
    TaskCatalog loaded = build(files, paths);
    TaskCatalog raced = LOADED.putIfAbsent(files.key(), loaded);
    return raced != null ? raced : loaded;
  }

  /**
   * The catalog a member's config names ({@code clusterpool.tasks.path} and {@code directory}),
   * with the tasks a job may run there ({@code clusterpool.tasks.allowed}).
   */
  public static TaskCatalog forConfig(com.typesafe.config.Config config) {
    AllowedTasks allowed = AllowedTasks.fromConfig(config);
    TaskCatalog loaded = load(TaskPaths.fromConfig(config));
    return allowed.equals(AllowedTasks.ALL)
        ? loaded
        : new TaskCatalog(loaded.entries, loaded.paths, allowed);
  }

  /**
   * The tasks a job may run where this catalog was made for ({@code clusterpool.tasks.allowed});
   * every one by default.
   */
  public AllowedTasks allowed() {
    return allowed;
  }

  /** A catalog of exactly these tasks, for tests and embedding. */
  public static TaskCatalog of(List<Task<?, ?>> tasks) {
    Map<String, Entry> map = new TreeMap<>();
    for (Task<?, ?> t : tasks)
      map.put(t.name(), new Entry(t, Fingerprints.of(t), TaskSource.classPath("")));
    return new TaskCatalog(map, TaskPaths.NONE);
  }

  public Optional<Task<?, ?>> find(String name) {
    Entry entry = entries.get(name);
    return entry == null ? Optional.empty() : Optional.of(entry.task());
  }

  public Optional<Entry> entry(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** The task named so, or an {@link UnknownTaskException} that lists the names accepted. */
  public Task<?, ?> get(String name) {
    Entry entry = entries.get(name);
    if (entry == null) throw new UnknownTaskException(name, names());
    return entry.task();
  }

  /** All tasks, by name. */
  public List<Task<?, ?>> all() {
    List<Task<?, ?>> out = new ArrayList<>(entries.size());
    for (Entry entry : entries.values()) out.add(entry.task());
    return out;
  }

  /** Every entry, by name. */
  public List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  public List<String> names() {
    return new ArrayList<>(entries.keySet());
  }

  /** What it was loaded from, besides the class path. */
  public TaskPaths paths() {
    return paths;
  }

  // ---- loading

  private static TaskCatalog build(TaskFiles files, TaskPaths paths) {
    Map<String, Entry> found = new TreeMap<>();
    Location builtIn = Location.of(TaskCatalog.class);
    ClassLoader parent = TaskCatalog.class.getClassLoader();
    for (Task<?, ?> task : classPath(parent)) {
      Location location = Location.of(task.getClass());
      TaskSource source =
          location.equals(builtIn) ? TaskSource.BUILT_IN : TaskSource.classPath(location.shown());
      add(found, task, source);
    }
    if (!files.isEmpty()) {
      URLClassLoader loader = new URLClassLoader("clusterpool-tasks", urls(files), parent);
      for (TaskFiles.Listed listed : files.listed()) {
        Task<?, ?> task = instantiate(listed, loader);
        if (task == null) continue; // a class of the class path, listed again: it is there already
        TaskSource source = TaskSource.taskPath(listed.file().shown());
        Location from = Location.of(task.getClass());
        if (!from.path().equals(listed.file().path().toString())
            && TaskFiles.holds(listed.file(), listed.className())) {
          // a class of the same name in an earlier path hides this one: two versions under one name
          Entry first = found.get(task.name());
          throw new TaskLoadException(
              "two tasks are named '"
                  + task.name()
                  + "': "
                  + listed.className()
                  + " ("
                  + (first != null ? first.source().label() : from.shown())
                  + ") and "
                  + listed.className()
                  + " ("
                  + source.label()
                  + "); a name is one task");
        }
        add(found, task, source);
      }
    }
    return new TaskCatalog(found, paths);
  }

  /**
   * The tasks of the class path, as {@link ServiceLoader} finds them; a broken entry is said in one
   * line.
   */
  @SuppressWarnings("rawtypes")
  private static List<Task<?, ?>> classPath(ClassLoader loader) {
    List<Task<?, ?>> tasks = new ArrayList<>();
    Iterator<Task> it = ServiceLoader.load(Task.class, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) return tasks;
        tasks.add(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        throw new TaskLoadException("a task of the class path cannot be loaded: " + summary(e));
      }
    }
  }

  /**
   * The task a path lists, made with its public constructor without arguments, as {@link
   * ServiceLoader} would; null when the class is the class path's (loaded by the parent, so found
   * there already).
   */
  private static Task<?, ?> instantiate(TaskFiles.Listed listed, ClassLoader loader) {
    String where = "task class " + listed.className() + " of '" + listed.file().shown() + "'";
    Class<?> type;
    try {
      type = Class.forName(listed.className(), false, loader);
    } catch (ClassNotFoundException e) {
      throw new TaskLoadException(
          where + " is listed in " + TaskFiles.SERVICES + " but is not there");
    } catch (LinkageError e) {
      throw new TaskLoadException(where + " cannot be loaded: " + summary(e));
    }
    if (type.getClassLoader() != loader) return null;
    if (!Task.class.isAssignableFrom(type)) {
      throw new TaskLoadException(
          where + " is not a task: it implements neither CpuTask nor AsyncTask");
    }
    try {
      Constructor<?> constructor = type.getConstructor();
      return (Task<?, ?>) constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new TaskLoadException(
          where + " has no public constructor without arguments, which is how every node makes it");
    } catch (InvocationTargetException e) {
      throw new TaskLoadException(
          where + " cannot be made: its constructor threw " + summary(e.getCause()));
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      throw new TaskLoadException(where + " cannot be loaded: " + summary(e));
    }
  }

  private static void add(Map<String, Entry> found, Task<?, ?> task, TaskSource source) {
    String name;
    try {
      name = task.name();
    } catch (RuntimeException | LinkageError e) {
      throw new TaskLoadException(
          "task class "
              + task.getClass().getName()
              + " ("
              + source.label()
              + ") cannot say its name: "
              + summary(e));
    }
    if (!TaskName.isValid(name)) {
      throw new TaskLoadException(
          "task class "
              + task.getClass().getName()
              + " ("
              + source.label()
              + ") is named "
              + Escapes.quote(name)
              + ": a task's name must be "
              + TaskName.ACCEPTED);
    }
    Entry previous = found.get(name);
    if (previous != null) {
      if (previous.task().getClass() == task.getClass()) return; // listed twice
      throw new TaskLoadException(
          "two tasks are named '"
              + name
              + "': "
              + previous.task().getClass().getName()
              + " ("
              + previous.source().label()
              + ") and "
              + task.getClass().getName()
              + " ("
              + source.label()
              + "); a name is one task");
    }
    String fingerprint;
    try {
      if (task.inputType() == null || task.outputType() == null) {
        throw new TaskLoadException(
            "task '"
                + name
                + "' ("
                + task.getClass().getName()
                + ", "
                + source.label()
                + ") has no input or output type");
      }
      fingerprint = Fingerprints.of(task);
      task.description(); // what 'clusterpool tasks' shows: a task that cannot say it is broken
    } catch (TaskLoadException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new TaskLoadException(
          "task '"
              + name
              + "' ("
              + task.getClass().getName()
              + ", "
              + source.label()
              + ") cannot be read: "
              + summary(e));
    }
    found.put(name, new Entry(task, fingerprint, source));
  }

  private static URL[] urls(TaskFiles files) {
    List<URL> urls = new ArrayList<>();
    for (TaskFiles.File file : files.files()) {
      try {
        urls.add(file.path().toUri().toURL());
      } catch (MalformedURLException e) {
        throw new TaskLoadException(
            "task path '" + file.shown() + "' cannot be read: " + e.getMessage());
      }
    }
    return urls.toArray(new URL[0]);
  }

  /** {@code NoClassDefFoundError: com/example/Lib}, with the first cause that says more. */
  static String summary(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && t.getCause() != t
        && (t instanceof ServiceConfigurationError
            || t instanceof InvocationTargetException
            || t.getMessage() == null)) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? "" : ": " + t.getMessage();
    String line = t.getClass().getSimpleName() + message;
    line = line.replaceAll("[\\r\\n]+", " ");
    return line.length() <= 300
        ? line
        : line.substring(0, 300) + "… (" + line.length() + " characters)";
  }

  /** Where a class was loaded from: a jar or a directory of classes, as this machine names it. */
  private record Location(String path) {
    static Location of(Class<?> type) {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) return new Location("");
      try {
        return new Location(
            Path.of(source.getLocation().toURI()).toAbsolutePath().normalize().toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        return new Location(source.getLocation().toString());
      }
    }

    String shown() {
      return path;
    }
  }

  /** For messages: the catalog's names and sources, in order. */
  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    for (Entry entry : entries.values()) shown.put(entry.task().name(), entry.source().label());
    return "TaskCatalog" + shown;
  }
}
