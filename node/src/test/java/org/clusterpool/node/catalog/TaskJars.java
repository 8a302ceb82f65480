package org.clusterpool.node.catalog;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.clusterpool.node.task.Task;

/**
 * Tasks as a user makes them, at test time: Java sources compiled with {@code
 * javax.tools.JavaCompiler} against the task API alone (its classes and the Jackson it brings,
 * nothing of Pekko), into a directory of classes or a jar with its {@code META-INF/services} list.
 */
public final class TaskJars {
  private TaskJars() {}

  public static final String SERVICES = "META-INF/services/org.clusterpool.node.task.Task";

  /**
   * The class path a task compiles against: where {@code Task} was loaded from (the task API's
   * classes or jar) and the Jackson jars of this class path. Nothing else: what compiles here needs
   * neither Pekko nor picocli.
   */
  public static List<Path> taskApiClassPath() {
    List<Path> path = new ArrayList<>();
    try {
      path.add(Path.of(Task.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.startsWith("jackson-core-")
          || name.startsWith("jackson-databind-")
          || name.startsWith("jackson-annotations-")) {
        path.add(Path.of(entry));
      }
    }
    return path;
  }

  /**
   * Compiles {@code sources} (file name, like {@code com/example/Cube.java}, to its text) into
   * {@code classes}.
   */
  public static Path compile(Path classes, Map<String, String> sources, List<Path> classPath)
      throws IOException {
    Path src = Files.createTempDirectory("task-sources");
    List<String> args =
        new ArrayList<>(
            List.of("-d", classes.toString(), "--release", "17", "-parameters", "-proc:none"));
    args.add("-cp");
    args.add(String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      args.add(file.toString());
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null)
      throw new AssertionError(
          "this JVM has no Java compiler (a JRE?): tasks cannot be made at test time");
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    int code = compiler.run(null, messages, messages, args.toArray(String[]::new));
    if (code != 0)
      throw new AssertionError(
          "the task sources do not compile against " + classPath + ":\n" + messages);
    return classes;
  }

  /**
   * A directory of classes compiled from {@code sources}, with a services list of {@code services}
   * (none: no list).
   */
  public static Path classes(Path dir, Map<String, String> sources, List<String> services)
      throws IOException {
    return classes(dir, sources, services, List.of());
  }

  /** As {@link #classes(Path, Map, List)}, compiled with {@code libraries} beside the task API. */
  public static Path classes(
      Path dir, Map<String, String> sources, List<String> services, List<Path> libraries)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> classPath = new ArrayList<>(taskApiClassPath());
    classPath.addAll(libraries);
    compile(dir, sources, classPath);
    if (!services.isEmpty()) {
      Path list = dir.resolve(SERVICES);
      Files.createDirectories(list.getParent());
      Files.writeString(list, String.join("\n", services) + "\n");
    }
    return dir;
  }

  /**
   * A jar of the classes compiled from {@code sources}, with a services list of {@code services}
   * (none: no list).
   */
  public static Path jar(Path jar, Map<String, String> sources, List<String> services)
      throws IOException {
    return jar(jar, sources, services, List.of());
  }

  /** As {@link #jar(Path, Map, List)}, compiled with {@code libraries} beside the task API. */
  public static Path jar(
      Path jar, Map<String, String> sources, List<String> services, List<Path> libraries)
      throws IOException {
    Path classes = classes(Files.createTempDirectory("task-classes"), sources, services, libraries);
    return jarOf(classes, jar);
  }

  /** The files under {@code classes}, as a jar. */
  public static Path jarOf(Path classes, Path jar) throws IOException {
    Files.createDirectories(jar.toAbsolutePath().getParent());
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(classes)) {
      for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(
            new JarEntry(classes.relativize(path).toString().replace(File.separatorChar, '/')));
        out.write(Files.readAllBytes(path));
        out.closeEntry();
      }
    }
    return jar;
  }

  /**
   * The source of a cpu task from long to long: {@code name}, computing {@code expression} of
   * {@code x}, in package {@code pkg} as class {@code simpleName}.
   */
  public static String longTask(String pkg, String simpleName, String name, String expression) {
    return "package "
        + pkg
        + ";\n"
        + "import org.clusterpool.node.task.LongTask;\n"
        + "import org.clusterpool.node.task.TaskContext;\n"
        + "public final class "
        + simpleName
        + " implements LongTask {\n"
        + "  @Override public String name() { return \""
        + name
        + "\"; }\n"
        + "  @Override public String description() { return \""
        + expression.replace("\"", "'")
        + "\"; }\n"
        + "  @Override public long applyAsLong(long x, TaskContext context) { return "
        + expression
        + "; }\n"
        + "}\n";
  }

  /** {@code com/example/Cube.java} for {@code com.example.Cube}. */
  public static String file(String className) {
    return className.replace('.', '/') + ".java";
  }

  static String text(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
