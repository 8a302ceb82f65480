package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.clusterpool.node.config.LayeredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that embeds clusterpool configures it through its own {@code application.conf}, as
 * any library: clusterpool's defaults are a {@code reference.conf} under it, and the embedded layer
 * sets only what one JVM needs. The application runs in a JVM of its own, whose class path holds
 * its {@code application.conf} first.
 */
@Timeout(180)
class EmbeddedApplicationConfigTest {
  private static final Path APPLICATION_CONF_DIR = Path.of("src", "test", "embedding-application");

  @Test
  void anApplicationsOwnApplicationConfSetsTheWorkersOfItsEmbeddedPool(@TempDir Path dir)
      throws Exception {
    assertTrue(
        Files.isRegularFile(APPLICATION_CONF_DIR.resolve("application.conf")),
        "the application's config is there");
    // the default differs from what the application asks, so that the run below can only show the
    // application's
    assertEquals(
        0,
        LayeredConfig.load("embedded").getInt("clusterpool.worker.per-node"),
        "the default: one per processor");

    Path output = dir.resolve("application.out");
    Process application =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                APPLICATION_CONF_DIR.toAbsolutePath()
                    + File.pathSeparator
                    + System.getProperty("java.class.path"),
                EmbeddingApplication.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try {
      assertTrue(application.waitFor(150, TimeUnit.SECONDS), "the application ends");
      List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
      assertEquals(0, application.exitValue(), String.join("\n", lines));
      assertTrue(lines.contains("squares [1, 4, 9]"), String.join("\n", lines));
      assertTrue(lines.contains("worker slots 5"), String.join("\n", lines));
    } finally {
      application.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
