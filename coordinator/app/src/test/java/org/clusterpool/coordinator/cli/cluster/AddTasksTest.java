package org.clusterpool.coordinator.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster add --tasks} may name the cluster's paths, each by any of its names. */
class AddTasksTest {
  @Test
  void eachPathGivenIsOneOfTheClustersByItsRealPath(@TempDir Path dir) throws Exception {
    Path ver1 = Files.writeString(dir.resolve("ver1.jar"), "");
    Files.createDirectories(dir.resolve("bad"));
    Path bad = Files.writeString(dir.resolve("bad").resolve("bad.jar"), "");
    Path link = Files.createSymbolicLink(dir.resolve("link.jar"), bad);
    List<String> clusters = List.of(ver1.toString(), bad.toString());
    assertTrue(AddCommand.areTheClusters(List.of(ver1, bad), clusters));
    assertTrue(AddCommand.areTheClusters(List.of(bad), clusters), "one of them");
    assertTrue(AddCommand.areTheClusters(List.of(bad, ver1), clusters), "in another order");
    assertTrue(AddCommand.areTheClusters(List.of(link), clusters), "by a symlink");
    assertTrue(
        AddCommand.areTheClusters(List.of(dir.resolve("bad/../ver1.jar")), clusters), "by ..");
    assertFalse(AddCommand.areTheClusters(List.of(dir.resolve("other.jar")), clusters));
    assertFalse(AddCommand.areTheClusters(List.of(ver1), List.of()));
  }
}
