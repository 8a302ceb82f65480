package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clusterpool.node.catalog.TaskJars;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that runs or serves tasks refuses tasks that cannot be loaded the same way: one
 * line that says what is wrong and where, exit code 2, before anything starts (no JVM, no actor
 * system, no port). So does a worker JVM started with them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TaskErrorsTest {
  @TempDir static Path dir;

  /** The ways a task path goes wrong, each with the start of its line. */
  private final List<List<String>> problems = new ArrayList<>();

  @BeforeAll
  void makeBadPaths() throws IOException {
    Path missing = dir.resolve("nothing-here.jar");
    problems.add(
        List.of(
            missing.toString(),
            "clusterpool: task path '"
                + missing
                + "' does not exist: give a jar of tasks,"
                + " or a directory of their classes or jars"));
    Path plain =
        TaskJars.jar(
            dir.resolve("no-task.jar"),
            Map.of(TaskJars.file("com.example.Cube"), CubeSources.cube("x * x * x")),
            List.of());
    problems.add(
        List.of(
            plain.toString(),
            "clusterpool: task path '"
                + plain
                + "' holds no task: a jar of tasks lists its task"
                + " classes in META-INF/services/org.clusterpool.node.task.Task"));
    Path broken =
        TaskJars.jar(
            dir.resolve("broken.jar"),
            Map.of(
                TaskJars.file("com.example.cube.Cube"),
                CubeSources.cube("x * x * x")
                    .replace(
                        "implements LongTask {",
                        "implements LongTask {\n"
                            + "  public Cube() { throw new IllegalStateException(\"no config\");"
                            + " }")),
            List.of(CubeSources.CUBE));
    problems.add(
        List.of(
            broken.toString(),
            "clusterpool: task class com.example.cube.Cube of '"
                + broken
                + "' cannot be made: its constructor threw IllegalStateException: no config"));
    Path first = CubeSources.v1(dir.resolve("first/cube-task.jar"));
    Path second = CubeSources.v2(dir.resolve("second/cube-task.jar"));
    problems.add(
        List.of(
            first.toString(),
            second.toString(),
            "clusterpool: two tasks are named 'cube': com.example.cube.Cube ("
                + first
                + ") and com.example.cube.Cube ("
                + second
                + "); a name is one task"));
  }

  /** The command's arguments, then {@code --tasks P} for each path of the problem. */
  private static String[] with(List<String> problem, String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    for (String path : problem.subList(0, problem.size() - 1)) {
      args.add("--tasks");
      args.add(path);
    }
    return args.toArray(String[]::new);
  }

  @Test
  void everyCommandThatRunsOrServesTasksSaysWhatIsWrongInOneLineAndExits2() {
    List<String[]> commands =
        List.of(
            new String[] {"tasks"},
            new String[] {"map", "square", "1..3"},
            new String[] {"map", "square", "1..3", "--nodes", "2"},
            new String[] {"map", "square", "1..3", "--connect", "http://127.0.0.1:1"},
            new String[] {"starmap", "pow", "2,3"},
            new String[] {"apply", "square", "3"},
            new String[] {"gather", "sleep:0", "fib:3"},
            new String[] {"demo", "pool"},
            new String[] {"cluster", "up", "1"},
            new String[] {"cluster", "add", "1"},
            new String[] {"node", "--port", "0", "--seed", "pekko://clusterpool@127.0.0.1:1"},
            new String[] {"coordinator", "--port", "0", "--http-port", "0"});
    for (List<String> problem : problems) {
      for (String[] command : commands) {
        MainTest.Run run = MainTest.run(with(problem, command));
        String what = String.join(" ", command) + " with " + problem;
        assertEquals(2, run.code(), what + ": " + run.err());
        assertEquals(problem.get(problem.size() - 1) + "\n", run.err(), what);
        assertEquals("", run.out(), what);
      }
    }
  }

  @Test
  void aWorkerJvmStartedWithTasksThatCannotBeLoadedSaysSoInOneLineAndExits2() throws Exception {
    Path log = dir.resolve("node.log");
    List<String> problem = problems.get(0);
    JvmProcess node =
        JvmLauncher.start(
            new JvmSpec(
                "bad-node",
                "org.clusterpool.node.NodeMain",
                List.of(
                    "--port",
                    "0",
                    "--seed",
                    "pekko://clusterpool@127.0.0.1:1",
                    "--tasks",
                    problem.get(0)),
                "64m",
                log,
                Map.of()));
    try {
      assertTrue(node.waitFor(Duration.ofSeconds(60)), "the node did not exit");
      assertEquals(2, node.exitCode());
      List<String> lines =
          Files.readAllLines(log).stream()
              .filter(l -> !l.isBlank() && !l.startsWith("Picked up"))
              .toList();
      assertEquals(List.of(problem.get(1).replace("clusterpool: ", "clusterpool node: ")), lines);
    } finally {
      node.kill();
    }
  }
}
