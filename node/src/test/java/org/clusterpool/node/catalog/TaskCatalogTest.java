package org.clusterpool.node.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks of one's own, compiled here as a user compiles them, loaded from jars and directories:
 * where each comes from, its fingerprint, and every way loading them goes wrong, each one line that
 * says what and where.
 */
class TaskCatalogTest {
  @TempDir Path dir;

  private Path cubeJar(String name) throws IOException {
    return TaskJars.jar(
        dir.resolve(name),
        Map.of(
            TaskJars.file("com.example.Cube"),
            TaskJars.longTask("com.example", "Cube", "cube", "x * x * x")),
        List.of("com.example.Cube"));
  }

  private static TaskLoadException refused(Path... paths) {
    return assertThrows(
        TaskLoadException.class, () -> TaskCatalog.load(TaskPaths.of(List.of(paths))));
  }

  @Test
  void aJarCompiledAgainstTheTaskApiAloneLoadsBesideTheBuiltInTasksAndRuns() throws Exception {
    Path jar = cubeJar("cube-task.jar");
    TaskCatalog catalog = TaskCatalog.load(TaskPaths.of(List.of(jar)));
    TaskCatalog.Entry cube = catalog.entry("cube").orElseThrow();
    assertEquals(new TaskSource(TaskSource.Kind.TASK_PATH, jar.toString()), cube.source());
    assertEquals(jar.toString(), cube.source().label());
    assertTrue(cube.fingerprint().matches("sha256:[0-9a-f]{16}"), cube.fingerprint());
    assertEquals(TaskSource.BUILT_IN, catalog.entry("square").orElseThrow().source());
    assertEquals(27L, ((LongTask) cube.task()).applyAsLong(3, null));
    assertSame(
        catalog, TaskCatalog.load(TaskPaths.of(List.of(jar))), "the same jar loads once in a JVM");
    assertNotEquals(
        cube.task().getClass().getClassLoader(),
        Task.class.getClassLoader(),
        "in a class loader of its own");
  }

  @Test
  void theSameClassInTwoJarsHasOneFingerprintAndChangedCodeAnother() throws Exception {
    String first =
        TaskCatalog.load(TaskPaths.of(List.of(cubeJar("a/cube-task.jar"))))
            .entry("cube")
            .orElseThrow()
            .fingerprint();
    String again =
        TaskCatalog.load(TaskPaths.of(List.of(cubeJar("b/cube-task.jar"))))
            .entry("cube")
            .orElseThrow()
            .fingerprint();
    assertEquals(first, again, "what a JVM elsewhere computes from the same jar");
    Path changed =
        TaskJars.jar(
            dir.resolve("c/cube-task.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                TaskJars.longTask("com.example", "Cube", "cube", "x * x * x + 0 * x")),
            List.of("com.example.Cube"));
    assertNotEquals(
        first,
        TaskCatalog.load(TaskPaths.of(List.of(changed))).entry("cube").orElseThrow().fingerprint());
  }

  @Test
  void aTaskThatDeclaresAVersionIsKnownByIt() throws Exception {
    String source =
        TaskJars.longTask("com.example", "Cube", "cube", "x * x * x")
            .replace(
                "public String name()",
                "public String version() { return \"2.1\"; }\n  @Override public String name()");
    Path jar =
        TaskJars.jar(
            dir.resolve("versioned.jar"),
            Map.of(TaskJars.file("com.example.Cube"), source),
            List.of("com.example.Cube"));
    assertEquals(
        "version:2.1",
        TaskCatalog.load(TaskPaths.of(List.of(jar))).entry("cube").orElseThrow().fingerprint());
  }

  @Test
  void theSameJarByTwoNamesLoadsOnce() throws Exception {
    Path jar = cubeJar("cube-task.jar");
    Path link = Files.createSymbolicLink(dir.resolve("link.jar"), jar);
    TaskCatalog catalog = TaskCatalog.load(TaskPaths.of(List.of(jar, link)));
    assertEquals(jar.toString(), catalog.entry("cube").orElseThrow().source().location());
  }

  @Test
  void aDirectoryOfClassesAndADirectoryOfJarsWithTheirLibrariesLoad() throws Exception {
    Path classes =
        TaskJars.classes(
            dir.resolve("classes"),
            Map.of(
                TaskJars.file("com.example.Twice"),
                TaskJars.longTask("com.example", "Twice", "twice", "2 * x")),
            List.of("com.example.Twice"));
    Path jars = Files.createDirectories(dir.resolve("jars"));
    Path library =
        TaskJars.jar(
            jars.resolve("lib.jar"),
            Map.of(
                TaskJars.file("com.example.lib.Maths"),
                "package com.example.lib; public final class Maths { public static long cube(long"
                    + " x) { return x * x * x; } }"),
            List.of());
    TaskJars.jar(
        jars.resolve("tasks.jar"),
        Map.of(
            TaskJars.file("com.example.Cube"),
            TaskJars.longTask("com.example", "Cube", "cube", "com.example.lib.Maths.cube(x)")),
        List.of("com.example.Cube"),
        List.of(library));
    // the task calls its library: it compiled with the library beside it, and it loads with it
    TaskCatalog catalog = TaskCatalog.load(TaskPaths.of(List.of(classes, jars)));
    assertEquals(classes.toString(), catalog.entry("twice").orElseThrow().source().label());
    assertEquals(
        jars.resolve("tasks.jar").toString(), catalog.entry("cube").orElseThrow().source().label());
    assertEquals(64L, ((LongTask) catalog.get("cube")).applyAsLong(4, null));
  }

  @Test
  void theTasksOfTheConfigAndOfTheDeploymentsFolder() throws Exception {
    Path jar = cubeJar("cube-task.jar");
    Path folder = Files.createDirectories(dir.resolve("deployed"));
    TaskJars.jar(
        folder.resolve("twice.jar"),
        Map.of(
            TaskJars.file("com.example.Twice"),
            TaskJars.longTask("com.example", "Twice", "twice", "2 * x")),
        List.of("com.example.Twice"));
    var config =
        LayeredConfig.load("embedded")
            .withValue(
                TaskPaths.PATH_KEY,
                ConfigValueFactory.fromAnyRef(jar.toString())) // as CLUSTERPOOL_TASKS gives it
            .withValue(TaskPaths.DIRECTORY_KEY, ConfigValueFactory.fromAnyRef(folder.toString()));
    TaskCatalog catalog = TaskCatalog.forConfig(config);
    assertTrue(
        catalog.names().containsAll(List.of("cube", "twice", "square")),
        catalog.names().toString());
    var absent =
        config.withValue(
            TaskPaths.DIRECTORY_KEY,
            ConfigValueFactory.fromAnyRef(dir.resolve("no-such-folder").toString()));
    assertEquals(
        List.of(),
        TaskFiles.expand(
                TaskPaths.fromConfig(
                        absent.withValue(
                            TaskPaths.PATH_KEY, ConfigValueFactory.fromIterable(List.of())))
                    .withPaths(List.of()))
            .files(),
        "an absent deployment folder adds nothing");
    assertEquals(List.of("--tasks", jar.toString()), TaskPaths.fromConfig(config).arguments());
  }

  @Test
  void everyWayLoadingGoesWrongIsOneLineThatSaysWhatAndWhere() throws Exception {
    Path missing = dir.resolve("nothing-here.jar");
    assertEquals(
        "task path '"
            + missing
            + "' does not exist: give a jar of tasks, or a directory of their classes or jars",
        refused(missing).getMessage());

    Path plain =
        TaskJars.jar(
            dir.resolve("no-services.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                TaskJars.longTask("com.example", "Cube", "cube", "x * x * x")),
            List.of());
    assertEquals(
        "task path '"
            + plain
            + "' holds no task: a jar of tasks lists its task classes in "
            + TaskJars.SERVICES,
        refused(plain).getMessage());

    Path text = Files.writeString(dir.resolve("notes.jar"), "not a jar");
    assertTrue(
        refused(text).getMessage().startsWith("task path '" + text + "' is not a jar ("),
        refused(text).getMessage());

    Path pipe = dir.resolve("pipe.jar");
    assertEquals(
        0, new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor(), "mkfifo");
    assertEquals(
        "task path '"
            + pipe
            + "' is not a jar or a directory (a named pipe, a socket or a device): give a jar of"
            + " tasks, or a directory of their classes or jars",
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refused(pipe)).getMessage());

    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertTrue(
        refused(empty).getMessage().startsWith("task path '" + empty + "' holds no task"),
        refused(empty).getMessage());

    Path absentClass =
        TaskJars.jar(
            dir.resolve("absent-class.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                TaskJars.longTask("com.example", "Cube", "cube", "x * x * x")),
            List.of("com.example.Cube", "com.example.Gone"));
    assertEquals(
        "task class com.example.Gone of '"
            + absentClass
            + "' is listed in "
            + TaskJars.SERVICES
            + " but is not there",
        refused(absentClass).getMessage());

    Path throwing =
        TaskJars.jar(
            dir.resolve("throwing.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                TaskJars.longTask("com.example", "Cube", "cube", "x * x * x")
                    .replace(
                        "implements LongTask {",
                        "implements LongTask {\n"
                            + "  public Cube() { throw new IllegalStateException(\"no config\");"
                            + " }")),
            List.of("com.example.Cube"));
    assertEquals(
        "task class com.example.Cube of '"
            + throwing
            + "' cannot be made: its constructor threw IllegalStateException: no config",
        refused(throwing).getMessage());

    Path notATask =
        TaskJars.jar(
            dir.resolve("not-a-task.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                "package com.example; public final class Cube {}"),
            List.of("com.example.Cube"));
    assertEquals(
        "task class com.example.Cube of '"
            + notATask
            + "' is not a task: it implements neither CpuTask nor AsyncTask",
        refused(notATask).getMessage());

    Path badName =
        TaskJars.jar(
            dir.resolve("bad-name.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                TaskJars.longTask("com.example", "Cube", "Cube!", "x * x * x")),
            List.of("com.example.Cube"));
    assertEquals(
        "task class com.example.Cube ("
            + badName
            + ") is named 'Cube!': a task's name must be lower case letters, digits"
            + " and -, starting with a letter, at most 64 characters",
        refused(badName).getMessage());

    Path escapeName =
        TaskJars.jar(
            dir.resolve("escape-name.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                TaskJars.longTask("com.example", "Cube", "x\u001b[31my", "x * x * x")),
            List.of("com.example.Cube"));
    assertTrue(
        refused(escapeName).getMessage().contains(") is named 'x\\u001b[31my': "),
        refused(escapeName).getMessage());
    Path longName =
        TaskJars.jar(
            dir.resolve("long-name.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                TaskJars.longTask("com.example", "Cube", "c".repeat(5000), "x * x * x")),
            List.of("com.example.Cube"));
    assertTrue(
        refused(longName)
            .getMessage()
            .contains(") is named '" + "c".repeat(79) + "…' (5000 characters): "),
        refused(longName).getMessage());
    Path longVersion =
        TaskJars.jar(
            dir.resolve("long-version.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                TaskJars.longTask("com.example", "Cube", "cube", "x * x * x")
                    .replace(
                        "public String name()",
                        "public String version() { return \"v\".repeat(20000); }\n"
                            + "  @Override public String name()")),
            List.of("com.example.Cube"));
    assertTrue(
        refused(longVersion)
            .getMessage()
            .endsWith(": '" + "v".repeat(79) + "…' (20000 characters)"),
        refused(longVersion).getMessage());

    Path other =
        TaskJars.jar(
            dir.resolve("other-cube.jar"),
            Map.of(
                TaskJars.file("org.other.Cube"),
                TaskJars.longTask("org.other", "Cube", "cube", "x * x")),
            List.of("org.other.Cube"));
    Path cube = cubeJar("cube-task.jar");
    assertEquals(
        "two tasks are named 'cube': com.example.Cube ("
            + cube
            + ") and org.other.Cube ("
            + other
            + "); a name is one task",
        refused(cube, other).getMessage());

    Path square =
        TaskJars.jar(
            dir.resolve("square.jar"),
            Map.of(
                TaskJars.file("com.example.Square"),
                TaskJars.longTask("com.example", "Square", "square", "x * x")),
            List.of("com.example.Square"));
    assertEquals(
        "two tasks are named 'square': org.clusterpool.node.task.builtin.Square (built in) and"
            + " com.example.Square ("
            + square
            + "); a name is one task",
        refused(square).getMessage());

    Path noDescription =
        TaskJars.jar(
            dir.resolve("no-description.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                TaskJars.longTask("com.example", "Cube", "cube", "x * x * x")
                    .replace(
                        "return \"x * x * x\";", "return \"\" + (1 / Integer.parseInt(\"0\"));")),
            List.of("com.example.Cube"));
    assertEquals(
        "task 'cube' (com.example.Cube, "
            + noDescription
            + ") cannot be read: ArithmeticException: / by zero",
        refused(noDescription).getMessage());

    for (Path path :
        List.of(
            missing,
            plain,
            text,
            empty,
            absentClass,
            throwing,
            notATask,
            badName,
            square,
            noDescription)) {
      assertFalse(
          refused(path).getMessage().contains("\n"), "one line: " + refused(path).getMessage());
    }
  }

  @Test
  void aNodeRunsTheObjectsItsPoolRegistersWhileTheirJobsRunEachUnderAFingerprintOfItsOwn() {
    NodeTasks tasks = new NodeTasks(TaskCatalog.shared());
    long before = tasks.snapshot().version();
    assertEquals(
        NodeTasks.signature(TaskCatalog.shared().entry("square").orElseThrow()),
        tasks.register(BuiltinTasks.SQUARE),
        "an object of a class of the catalog is the catalog's task");
    assertEquals(before, tasks.snapshot().version());

    Task<Long, Long> cube = Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> x * x * x);
    TaskSignature first = tasks.register(cube);
    assertEquals(TaskKind.CPU, first.kind());
    assertTrue(first.fingerprint().startsWith("lambda:"), first.fingerprint());
    assertEquals(first, tasks.register(cube), "the same object, for a second job");
    TaskSignature other =
        tasks.register(Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> -x));
    assertNotEquals(
        first.fingerprint(),
        other.fingerprint(),
        "another function of the same name is another task");
    assertSame(cube, tasks.find("cube", first.fingerprint()));
    assertTrue(tasks.snapshot().tasks().containsAll(List.of(first, other)));

    assertFalse(tasks.release(first), "a job of it still runs");
    assertTrue(tasks.release(first));
    assertNull(tasks.find("cube", first.fingerprint()), "forgotten once no job uses it");
    assertFalse(tasks.snapshot().tasks().contains(first));
    assertTrue(tasks.snapshot().version() > before);
  }
}
