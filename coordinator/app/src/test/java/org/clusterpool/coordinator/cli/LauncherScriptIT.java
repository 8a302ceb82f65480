package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/clusterpool} itself, the script of README's first screen, run from the checkout on the
 * jar that {@code package} made (failsafe, after it): the JDK it finds, the start-up archive it
 * trains on its first run after a build, and the runs after that one, which must be able to use it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LauncherScriptIT {

  private static final long BOUND_SECONDS = 240;

  private final Path checkout =
      Path.of(System.getProperty("clusterpool.checkout", "")).toAbsolutePath().normalize();
  private final Path jar = checkout.resolve("coordinator/app/target/clusterpool.jar");

  @TempDir Path scratch;

  @Test
  void theFirstScreensCommandRunsAndTheArchiveItMakesIsUsedAndMadeAgainWhenCutShort()
      throws Exception {
    assertTrue(Files.isRegularFile(jar), "the jar that package made: " + jar);

    Run pool = run(List.of("bin/clusterpool", "demo", "pool"), "");
    assertEquals(0, pool.exitCode(), pool.output());
    assertTrue(pool.output().contains("[1, 4, 9, 16, 25]"), pool.output());

    // one per JDK that ran the script since the build (its name tells them apart)
    List<Path> archives = archives();
    assertTrue(!archives.isEmpty(), "a start-up archive beside the jar, made for it");

    assertTheNextRunUsesIt();

    // cut short (a copy that stopped half-way): a JDK 17 JVM would crash on it; the launcher makes
    // it again
    for (Path archive : archives) {
      byte[] whole = Files.readAllBytes(archive);
      Files.delete(archive); // the JVM makes it read-only
      Files.write(archive, Arrays.copyOf(whole, whole.length / 2));
    }
    Run afterCut = run(List.of("bin/clusterpool", "apply", "square", "3"), "");
    assertEquals(0, afterCut.exitCode(), afterCut.output());
    assertEquals("9", afterCut.output().strip());
    assertTheNextRunUsesIt();
  }

  /**
   * A closed standard input ({@code <&-}) is an empty one: the JVM's first file (a jar) once took
   * its place and was read as input ("not text: a NUL byte").
   */
  @Test
  void aClosedStandardInputIsAnEmptyOne() throws Exception {
    Run closed = run(List.of("bash", "-c", "bin/clusterpool map square - <&-"), "");
    assertEquals(2, closed.exitCode(), closed.output());
    assertTrue(closed.output().contains("no inputs given for task 'square'"), closed.output());
  }

  /** A JVM told that it must share classes refuses to start when it cannot use the archive. */
  private void assertTheNextRunUsesIt() throws Exception {
    String mustShare = Runtime.version().feature() >= 24 ? "-XX:AOTMode=on" : "-Xshare:on";
    Run apply = run(List.of("bin/clusterpool", "apply", "square", "3"), mustShare);
    assertEquals(0, apply.exitCode(), apply.output());
    assertEquals("9", apply.output().strip());
  }

  /**
   * The archives of this JDK's kind beside the jar ({@code clusterpool-N.jsa} or {@code .aot}), no
   * older than it.
   */
  private List<Path> archives() throws IOException {
    String kind = Runtime.version().feature() >= 24 ? ".aot" : ".jsa";
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(jar.getParent())) {
      for (Path file : files.toList()) {
        if (file.getFileName().toString().matches("clusterpool-\\d+\\Q" + kind + "\\E")
            && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar)) >= 0)
          found.add(file);
      }
    }
    return found;
  }

  record Run(int exitCode, String output) {}

  /** Runs from the checkout on this test's JDK, with the given JVM options, bounded. */
  private Run run(List<String> command, String javaOptions) throws Exception {
    Path output = Files.createTempFile(scratch, "out", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(checkout.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("CLUSTERPOOL_JAVA_OPTS", javaOptions);
    builder.environment().remove("CLUSTERPOOL_CDS");
    Process process = builder.start();
    try {
      boolean ended = process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
      String printed = Files.readString(output);
      assertTrue(
          ended,
          String.join(" ", command) + " did not end in " + BOUND_SECONDS + " s:\n" + printed);
      return new Run(process.exitValue(), printed);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
