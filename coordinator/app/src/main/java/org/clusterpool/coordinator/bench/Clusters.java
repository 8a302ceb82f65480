package org.clusterpool.coordinator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clusterpool.coordinator.members.LocalCluster;

/**
 * Local clusters for the multi-JVM scenarios: this JVM coordinates, worker JVMs log into a temp
 * folder.
 */
final class Clusters {
  private Clusters() {}

  static LocalCluster start(int nodes, int workersPerNode) throws IOException {
    Path logs = Files.createTempDirectory("clusterpool-bench-logs");
    return LocalCluster.start(nodes, workersPerNode, logs);
  }

  /** Resident memory of a process, in MB, from /proc (Linux); -1 where there is no /proc. */
  static double residentMegabytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:"))
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
