package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C at a terminal, mid-job: SIGINT to the command's whole process group, its worker JVMs
 * included, as a terminal sends it. The command ends with status 130 and one line that says so, not
 * with what its parts say as they stop (worker JVMs that "exited (code 130)", chunks that "run
 * again", the failure of the job the signal cut short), and leaves no process behind.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InterruptionIT {

  private static final long BOUND_SECONDS = 120;

  /** Twenty blocking sleeps of a second on two workers: about ten seconds of job. */
  private static final int INPUTS = 20;

  private final Path checkout =
      Path.of(System.getProperty("clusterpool.checkout", "")).toAbsolutePath().normalize();

  @TempDir Path scratch;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "--nodes 1"})
  void ctrlCMidJobEndsTheCommandWithOneLineAndNothingLeftRunning(String where) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "setsid",
                // as at a terminal: a shell that runs this suite in the background (CI's) starts it
                // with SIGINT ignored, which its children inherit, and a JVM leaves it so
                "env",
                "--default-signal=INT",
                "bin/clusterpool",
                "map",
                "sleep-blocking",
                "--chunksize",
                "1"));
    command.addAll(Collections.nCopies(INPUTS, "1"));
    if (!where.equals("embedded")) command.addAll(List.of(where.split(" ")));
    Path out = scratch.resolve("out.txt");
    Path err = scratch.resolve("err.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(checkout.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    List<ProcessHandle> started = new ArrayList<>();
    try {
      await("a first result", () -> lines(out) > 0 || !process.isAlive());
      assertTrue(process.isAlive(), "the command runs: " + read(err));
      started.addAll(process.descendants().toList());
      // setsid made the command its group's leader: the group is its pid
      int sent = new ProcessBuilder("kill", "-INT", "--", "-" + process.pid()).start().waitFor();
      assertEquals(0, sent);

      assertTrue(process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "it ends: " + read(err));
      assertTrue(
          lines(out) < INPUTS, "the signal came mid-job, not after it: " + lines(out) + " results");
      assertEquals(130, process.exitValue(), read(err));
      assertEquals(
          List.of("clusterpool: interrupted by SIGINT: the command stops unfinished"),
          read(err).lines().filter(line -> !line.isBlank()).toList(),
          "standard error says it in one line");
      await(
          "every process it started to end",
          () -> started.stream().noneMatch(ProcessHandle::isAlive));
    } finally {
      started.forEach(ProcessHandle::destroyForcibly);
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() - deadline < 0, "waited " + BOUND_SECONDS + " s for " + what);
      Thread.sleep(50);
    }
  }

  private static long lines(Path file) {
    return read(file).lines().count();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
