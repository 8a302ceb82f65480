package org.clusterpool.node.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The files {@link TaskPaths} stand for, checked: each jar and directory of classes that goes on
 * the tasks' class path, and the task classes each lists in {@value #SERVICES}. A path given must
 * exist and hold a task; a directory given holds either task classes (with that file) or jars, at
 * least one of which lists a task (the others are the tasks' libraries); the deployment's folder of
 * jars may be absent or empty.
 */
final class TaskFiles {
  static final String SERVICES = "META-INF/services/org.clusterpool.node.task.Task";

  /** A jar or a directory of classes, and how messages show it. */
  record File(Path path, String shown) {}

  /** A task class, and the file whose services list names it. */
  record Listed(String className, File file) {}

  /** What the files were when read: the same key means the same classes. */
  record Key(List<String> stamps) {}

  private final List<File> files;
  private final List<Listed> listed;
  private final Key key;

  private TaskFiles(List<File> files, List<Listed> listed, Key key) {
    this.files = files;
    this.listed = listed;
    this.key = key;
  }

  static TaskFiles expand(TaskPaths paths) {
    List<File> files = new ArrayList<>();
    List<Listed> listed = new ArrayList<>();
    java.util.Set<Path> seen = new java.util.HashSet<>();
    for (Path path : paths.paths()) {
      // the same jar by two names (a symlink, a path through one) is loaded once
      if (seen.add(real(path))) given(path, files, listed);
    }
    paths.directory().ifPresent(directory -> deployed(directory, files, listed));
    List<String> stamps = new ArrayList<>();
    for (File file : files) stamps.add(stamp(file.path()));
    return new TaskFiles(List.copyOf(files), List.copyOf(listed), new Key(stamps));
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException | SecurityException e) {
      return path; // absent or unreadable: given() says so
    }
  }

  boolean isEmpty() {
    return files.isEmpty();
  }

  List<File> files() {
    return files;
  }

  List<Listed> listed() {
    return listed;
  }

  Key key() {
    return key;
  }

  /** A path given: it exists and holds a task. */
  private static void given(Path path, List<File> files, List<Listed> listed) {
    String shown = path.toString();
    if (!Files.exists(path)) {
      throw new TaskLoadException(
          "task path '"
              + shown
              + "' does not exist: give a jar of tasks, or a directory of their classes or jars");
    }
    if (!Files.isDirectory(path) && !Files.isRegularFile(path)) {
      // a named pipe or a device would be read for ever: only files and directories are taken
      throw new TaskLoadException(
          "task path '"
              + shown
              + "' is not a jar or a directory (a named pipe, a socket or a device): give a jar"
              + " of tasks, or a directory of their classes or jars");
    }
    if (!Files.isReadable(path))
      throw new TaskLoadException("task path '" + shown + "' cannot be read (permissions)");
    if (Files.isDirectory(path)) {
      if (Files.exists(path.resolve(SERVICES))) {
        File file = new File(path, shown);
        List<String> classes = listedIn(file);
        if (classes.isEmpty())
          throw new TaskLoadException(
              "task path '" + shown + "' lists no task class in its " + SERVICES);
        files.add(file);
        for (String c : classes) listed.add(new Listed(c, file));
        return;
      }
      List<Path> jars = jarsIn(path);
      if (jars.isEmpty()) {
        throw new TaskLoadException(
            "task path '"
                + shown
                + "' holds no task: a directory of task classes has "
                + SERVICES
                + ", and this one has neither that nor a jar");
      }
      int tasks = 0;
      for (Path jar : jars) tasks += jar(jar, files, listed);
      if (tasks == 0) {
        throw new TaskLoadException(
            "task path '"
                + shown
                + "' holds no task: none of its "
                + jars.size()
                + " jars lists a task class in "
                + SERVICES);
      }
      return;
    }
    if (jar(path, files, listed) == 0) {
      throw new TaskLoadException(
          "task path '"
              + shown
              + "' holds no task: a jar of tasks lists its task classes in "
              + SERVICES);
    }
  }

  /** The deployment's folder: each jar in it, if it is there. */
  private static void deployed(Path directory, List<File> files, List<Listed> listed) {
    if (!Files.exists(directory)) return;
    if (!Files.isDirectory(directory)) {
      throw new TaskLoadException(
          "the tasks directory '"
              + directory
              + "' (clusterpool.tasks.directory) is not a directory");
    }
    for (Path jar : jarsIn(directory)) jar(jar, files, listed);
  }

  /** Adds a jar; returns how many task classes it lists. */
  private static int jar(Path path, List<File> files, List<Listed> listed) {
    File file = new File(path, path.toString());
    List<String> classes = listedIn(file);
    files.add(file);
    for (String c : classes) listed.add(new Listed(c, file));
    return classes.size();
  }

  /** Whether the file holds the class's own bytes (not only its name in a list). */
  static boolean holds(File file, String className) {
    String entry = className.replace('.', '/') + ".class";
    try {
      if (Files.isDirectory(file.path())) return Files.exists(file.path().resolve(entry));
      try (ZipFile zip = new ZipFile(file.path().toFile())) {
        return zip.getEntry(entry) != null;
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static List<Path> jarsIn(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new TaskLoadException(
          "task path '" + directory + "' cannot be read: " + e.getMessage());
    }
  }

  /**
   * The class names of the file's services list, without comments and blanks; none when it has no
   * list.
   */
  private static List<String> listedIn(File file) {
    try {
      if (Files.isDirectory(file.path())) {
        Path services = file.path().resolve(SERVICES);
        return Files.exists(services)
            ? classNames(Files.readString(services, StandardCharsets.UTF_8))
            : List.of();
      }
      try (ZipFile zip = new ZipFile(file.path().toFile())) {
        ZipEntry entry = zip.getEntry(SERVICES);
        if (entry == null) return List.of();
        try (InputStream in = zip.getInputStream(entry)) {
          return classNames(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    } catch (ZipException e) {
      throw new TaskLoadException(
          "task path '" + file.shown() + "' is not a jar (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new TaskLoadException(
          "task path '" + file.shown() + "' cannot be read: " + e.getMessage());
    }
  }

  private static List<String> classNames(String text) {
    List<String> names = new ArrayList<>();
    for (String line : text.split("\\R")) {
      int hash = line.indexOf('#');
      String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (!name.isEmpty() && !names.contains(name)) names.add(name);
    }
    return names;
  }

  private static String stamp(Path path) {
    try {
      return path + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      return path.toString();
    }
  }
}
