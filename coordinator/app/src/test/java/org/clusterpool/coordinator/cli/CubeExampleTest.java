package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.clusterpool.node.catalog.TaskJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example project {@code examples/cube-task/} and the README's words about it, as a user takes
 * them: its sources compile against the task API alone (nothing of Pekko, picocli or the HTTP
 * server on the class path), its jar's tasks run from the command line as the README says, the
 * README shows its {@code Cube} as it is, names the jar the build makes, and its Java example
 * compiles and prints what it says.
 */
@Timeout(120)
class CubeExampleTest {
  @TempDir Path dir;

  private static Path root() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("examples/cube-task"))
          && Files.isRegularFile(d.resolve("README.md"))) return d;
    }
    throw new IllegalStateException("no examples/cube-task above " + Path.of("").toAbsolutePath());
  }

  private static Path example() {
    return root().resolve("examples/cube-task");
  }

  private static String readme() throws IOException {
    return Files.readString(root().resolve("README.md"));
  }

  /** The fenced block that follows {@code marker} in the README. */
  private static String blockAfter(String marker) throws IOException {
    String readme = readme();
    int at = readme.indexOf(marker);
    assertTrue(at >= 0, "the README says " + marker);
    int open = readme.indexOf("```", at);
    int start = readme.indexOf('\n', open) + 1;
    int end = readme.indexOf("```", start);
    return readme.substring(start, end);
  }

  /**
   * The example's jar, as its build makes it: its classes, compiled against the task API alone, and
   * its resources.
   */
  private Path exampleJar() throws IOException {
    List<Path> classPath = TaskJars.taskApiClassPath();
    for (Path entry : classPath) {
      String name = entry.toString();
      assertFalse(
          name.contains("pekko")
              || name.contains("picocli")
              || name.contains("clusterpool-node")
              || name.contains("/node/target")
              || name.contains("coordinator"),
          "not the task API alone: " + classPath);
    }
    Map<String, String> sources = new LinkedHashMap<>();
    Path src = example().resolve("src/main/java");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        sources.put(src.relativize(file).toString(), Files.readString(file));
      }
    }
    Path classes = Files.createDirectories(dir.resolve("classes"));
    TaskJars.compile(classes, sources, classPath);
    Path services = classes.resolve(TaskJars.SERVICES);
    Files.createDirectories(services.getParent());
    Files.copy(example().resolve("src/main/resources").resolve(TaskJars.SERVICES), services);
    return TaskJars.jarOf(classes, dir.resolve("cube-task.jar"));
  }

  @Test
  void theExampleCompilesAgainstTheTaskApiAloneAndItsTasksRunAsTheReadmeSays() throws Exception {
    String jar = exampleJar().toString();
    MainTest.Run cubes = MainTest.run("map", "cube", "1..10", "--tasks", jar);
    assertEquals(0, cubes.code(), cubes.err());
    assertEquals(
        List.of("1", "8", "27", "64", "125", "216", "343", "512", "729", "1000"), cubes.lines());

    MainTest.Run volumes = MainTest.run("starmap", "volume", "2,3,4", "10,10,10", "--tasks", jar);
    assertEquals(0, volumes.code(), volumes.err());
    assertEquals(List.of("24", "1000"), volumes.lines());

    MainTest.Run tasks = MainTest.run("tasks", "--tasks", jar);
    List<String> fromJar =
        tasks.lines().subList(tasks.lines().indexOf(jar + ":"), tasks.lines().size());
    assertEquals(3, fromJar.size(), "the jar's two tasks, last, under its path: " + tasks.out());
    assertTrue(fromJar.get(1).matches("  cube +cpu +long -> long +x \\* x \\* x"), fromJar.get(1));
    assertTrue(
        fromJar
            .get(2)
            .matches(
                "  volume +cpu +\\(width, height, depth\\) -> long +width \\* height \\* depth .*"),
        fromJar.get(2));
    assertEquals("built in:", tasks.lines().get(0));

    MainTest.Run tooLarge = MainTest.run("map", "cube", "3000000", "--tasks", jar);
    assertEquals(2, tooLarge.code());
    assertEquals(
        "clusterpool: input '3000000' is refused: cube: accepted -2097151..2097151\n",
        tooLarge.err());
    MainTest.Run flat = MainTest.run("starmap", "volume", "0,1,1", "--tasks", jar);
    assertEquals(2, flat.code());
    assertTrue(
        flat.err()
            .startsWith(
                "clusterpool: cannot read input '0,1,1' for task 'volume': volume: each side is"
                    + " accepted from 1 to 1000000"),
        flat.err());
  }

  @Test
  void theReadmeShowsTheExamplesOwnFilesAndTheJarItsBuildMakes() throws Exception {
    assertEquals(
        Files.readString(example().resolve("src/main/java/com/example/cube/Cube.java")),
        blockAfter("The task, `examples/cube-task/src/main/java/com/example/cube/Cube.java`:"));
    assertEquals(
        Files.readString(example().resolve("src/main/resources").resolve(TaskJars.SERVICES)),
        blockAfter("and the list of the jar's tasks"));
    String pom = Files.readString(example().resolve("pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertTrue(finalName.find(), "the example's pom names its jar");
    String jar = "examples/cube-task/target/" + finalName.group(1) + ".jar";
    List<String> commands =
        blockAfter("From the top of this\nrepository, three commands:")
            .lines()
            .map(l -> l.replaceAll(" +#.*$", "").strip())
            .toList();
    assertEquals(
        List.of(
            "./mvnw -B -q -DskipTests package",
            "bin/clusterpool tasks --tasks " + jar,
            "bin/clusterpool map cube 1..10 --tasks " + jar),
        commands);
    assertTrue(
        Files.readString(root().resolve("pom.xml")).contains("<module>examples/cube-task</module>"),
        "the root build builds the example, so that its first command makes the jar");
    String dependencies =
        pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
    assertEquals(
        List.of("clusterpool-task-api"),
        Pattern.compile("<artifactId>([^<]+)</artifactId>")
            .matcher(dependencies)
            .results()
            .map(m -> m.group(1))
            .toList(),
        "the example depends on the task API alone");
  }

  @Test
  void theReadmesJavaExampleCompilesAndPrintsWhatItSays() throws Exception {
    String source = blockAfter("make a task from\na function, typed by its value types:");
    Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
    assertTrue(name.find());
    Path src = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("readme-classes"));
    List<Path> classPath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator))
      classPath.add(Path.of(entry));
    TaskJars.compile(classes, Map.of(name.group(1) + ".java", source), classPath);
    List<String> expected = new ArrayList<>();
    Matcher printed = Pattern.compile("System\\.out\\.println\\(.*// (.*)").matcher(source);
    while (printed.find()) expected.add(printed.group(1).strip());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream before = System.out;
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Method main = loader.loadClass(name.group(1)).getMethod("main", String[].class);
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(before);
    }
    assertEquals(expected, out.toString(StandardCharsets.UTF_8).lines().toList());
  }
}
