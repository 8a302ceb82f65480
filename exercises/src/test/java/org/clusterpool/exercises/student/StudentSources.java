package org.clusterpool.exercises.student;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles a student's sources in a test, against the exercise interfaces, into a directory of
 * classes.
 */
final class StudentSources {
  private StudentSources() {}

  /** {@code sources}: file name (such as {@code com/example/MyCounter.java}) to source text. */
  static Path compile(Path root, Map<String, String> sources)
      throws IOException, URISyntaxException {
    Path src = Files.createDirectories(root.resolve("src"));
    Path classes = Files.createDirectories(root.resolve("classes"));
    List<String> arguments =
        new ArrayList<>(List.of("-d", classes.toString(), "-classpath", interfaces().toString()));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      arguments.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int code = javac.run(null, errors, errors, arguments.toArray(String[]::new));
    if (code != 0) throw new IllegalStateException("javac failed: " + errors);
    return classes;
  }

  /** Where the exercise interfaces are: this module's classes. */
  private static Path interfaces() throws URISyntaxException {
    return Path.of(
        StudentClasses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
