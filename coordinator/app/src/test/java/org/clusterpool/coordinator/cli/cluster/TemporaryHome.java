package org.clusterpool.coordinator.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@code clusterpool.home} of its own for a test class, as a project folder is for a user: its
 * state file, token and logs; the previous home comes back after the class. Every JVM a command of
 * the class starts names this folder in its command line (the coordinator's {@code --state}, the
 * {@code -Dclusterpool.home} each JVM of a cluster inherits), which is how {@link #jvms()} finds
 * them, whatever the state file says.
 */
final class TemporaryHome implements BeforeAllCallback, AfterAllCallback {
  private Path path;
  private String previous;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    path = Files.createTempDirectory("clusterpool-home-");
    previous = System.getProperty("clusterpool.home");
    System.setProperty("clusterpool.home", path.toString());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (previous == null) System.clearProperty("clusterpool.home");
    else System.setProperty("clusterpool.home", previous);
    try (Stream<Path> files = Files.walk(path)) {
      files.sorted(Comparator.reverseOrder()).forEach(TemporaryHome::deleteQuietly);
    } catch (IOException e) {
      // a file a killed JVM was still writing: the temporary folder keeps it
    }
  }

  Path path() {
    return path;
  }

  Path resolve(String other) {
    return path.resolve(other);
  }

  /** The JVMs of this home's clusters, besides this one. */
  List<ProcessHandle> jvms() {
    long self = ProcessHandle.current().pid();
    String name = path.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .filter(p -> p.info().commandLine().map(c -> c.contains(name)).orElse(false))
        .toList();
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // as above
    } catch (UncheckedIOException e) {
      // as above
    }
  }
}
