package org.clusterpool.node.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker node whose seed lets nobody in: a real JVM, as {@code clusterpool node --seed} starts
 * one. Pekko would try to join for ever, a warning every few seconds; the node gives up after
 * {@code shutdown-after-unsuccessful-join-seed-nodes} and ends with one line and exit code 1.
 */
@Timeout(120)
class JoinFailureTest {
  @TempDir Path logs;

  @Test
  void aNodeWhoseSeedNeverAnswersEndsWithOneLineAndExitCodeOne() throws Exception {
    int nobody = freePort(); // nothing listens there
    Path log = logs.resolve("lonely.log");
    JvmSpec spec =
        JvmSpec.workerNode(
                "lonely",
                freePort(),
                List.of("pekko://clusterpool@127.0.0.1:" + nobody),
                1,
                ProcessHandle.current().pid(),
                log)
            .withProperties(
                Map.of(
                    "pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes", "3 s",
                    "pekko.remote.artery.transport", "tcp"));
    try (JvmProcess node = JvmLauncher.start(spec)) {
      assertTrue(node.waitFor(Duration.ofSeconds(90)), "the node gave up joining: " + tail(log));
      assertEquals(1, node.exitCode(), tail(log));
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    List<String> said = lines.stream().filter(l -> l.startsWith("clusterpool: ")).toList();
    assertEquals(1, said.size(), "one line that says why: " + tail(log));
    assertTrue(
        said.get(0)
            .startsWith(
                "clusterpool: this member never joined its cluster: pekko://clusterpool@127.0.0.1:"
                    + nobody
                    + " did not let it in within 3 s"),
        said.get(0));
    assertTrue(said.get(0).contains("transport than this member's tcp"), said.get(0));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
