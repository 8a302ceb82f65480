package org.clusterpool.coordinator.pool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * A program that uses {@code ClusterPool.local(2)} as a user would, on a JVM of its own, for {@link
 * LocalPoolProcessesTest}: it runs one map, writes its worker JVMs' pids to a file, then ends as
 * {@code MODE} says: {@code throw} (an exception out of the pool's try block), {@code exit} ({@code
 * System.exit} with the pool open), {@code wait} (until it is killed).
 *
 * <pre>LocalPoolMain MODE PID_FILE</pre>
 */
public final class LocalPoolMain {
  private LocalPoolMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path pidFile = Path.of(args[1]);
    if (mode.equals("throw")) {
      try (ClusterPool pool = ClusterPool.builder().workersPerNode(1).local(2)) {
        ready(pool, pidFile);
        throw new IllegalStateException("the program failed while its pool was open");
      }
    }
    ClusterPool pool = ClusterPool.builder().workersPerNode(1).local(2);
    ready(pool, pidFile);
    if (mode.equals("exit")) System.exit(3);
    Thread.sleep(600_000);
  }

  private static void ready(ClusterPool pool, Path pidFile) throws Exception {
    if (!pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L)).equals(List.of(1L, 4L, 9L)))
      throw new AssertionError("wrong squares");
    List<JvmProcess> nodes = ((StartedCluster) pool.engine()).cluster().nodes();
    Path partial = pidFile.resolveSibling(pidFile.getFileName() + ".part");
    Files.writeString(
        partial, nodes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(" ")));
    Files.move(partial, pidFile); // whole or absent: the test never reads half a line
  }
}
