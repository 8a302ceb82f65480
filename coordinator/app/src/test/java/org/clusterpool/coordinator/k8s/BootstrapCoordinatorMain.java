package org.clusterpool.coordinator.k8s;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.clusterpool.coordinator.members.CoordinatorNode;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.node.NodeMain;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.WhoAmI;

/**
 * The coordinator pod of {@link KubernetesBootstrapTest}, as a JVM of its own (the discovery client
 * reads the API server's address from the environment, which only a child process can be given). It
 * starts the member as {@code clusterpool coordinator --config kubernetes} does, waits for the
 * workers that the bootstrap brings, runs a map job over them, writes what came back into a
 * properties file, and stays a member until SIGTERM.
 *
 * <pre>BootstrapCoordinatorMain WORKERS INPUTS RESULT_FILE</pre>
 */
public final class BootstrapCoordinatorMain {
  private BootstrapCoordinatorMain() {}

  public static void main(String[] args) throws IOException {
    int workers = Integer.parseInt(args[0]);
    long inputs = Long.parseLong(args[1]);
    Path resultFile = Path.of(args[2]);
    Config config = LayeredConfig.load("kubernetes");
    CoordinatorNode node =
        CoordinatorNode.start(
            new NodeOptions(
                "kubernetes",
                NodeOptions.COORDINATOR,
                null,
                config.getInt("pekko.remote.artery.canonical.port"),
                List.of(),
                1,
                0));
    NodeMain.exitWithNode(node.system());
    Properties result = new Properties();
    try {
      ClusterPool pool = ClusterPool.connect(node.system(), node.coordinator(), workers);
      awaitWorkers(pool, workers, Duration.ofSeconds(150));
      List<Long> squares = pool.map(BuiltinTasks.SQUARE, Inputs.range(1, inputs));
      long wrong = 0;
      for (int i = 0; i < squares.size(); i++)
        if (squares.get(i) != (long) (i + 1) * (i + 1)) wrong++;
      TreeSet<String> nodes = new TreeSet<>();
      for (WhoAmI.Answer answer : pool.map(BuiltinTasks.WHOAMI, Inputs.range(1, 20L * workers), 1))
        nodes.add(answer.node());
      result.setProperty("results", Long.toString(squares.size()));
      result.setProperty("wrong", Long.toString(wrong));
      result.setProperty("worker-nodes", String.join(" ", nodes));
      result.setProperty("coordinator", node.address());
      result.setProperty("outcome", "done");
    } catch (RuntimeException e) {
      result.setProperty("outcome", "failed: " + e);
    }
    Path partial = resultFile.resolveSibling(resultFile.getFileName() + ".part");
    try (Writer out = Files.newBufferedWriter(partial)) {
      result.store(out, "BootstrapCoordinatorMain");
    }
    Files.move(
        partial, resultFile, StandardCopyOption.ATOMIC_MOVE); // the test never reads half a file
  }

  private static void awaitWorkers(ClusterPool pool, int workers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      try {
        seen = pool.status(Duration.ofSeconds(5)).workers().size();
        if (seen >= workers) return;
      } catch (RuntimeException e) {
        seen = 0; // no singleton yet: this member is not Up yet
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(
        "only " + seen + " of " + workers + " workers within " + timeout.toSeconds() + " s");
  }
}
