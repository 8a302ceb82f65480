package org.clusterpool.coordinator.testcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.coordinator.members.ClientNode;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.coordinator.pool.JobListener;
import org.clusterpool.node.NodeMain;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.LongTask;

/**
 * A client member on a JVM of its own (role {@code client}: neither coordinator nor worker), for
 * the failover test: it reaches the coordinator singleton through its proxy, runs one slow map job,
 * prints its progress, and writes the outcome to a file: {@code done N} when each of the N results
 * is right, else what went wrong.
 *
 * <pre>FailoverClientMain SEED PORT INPUTS RESULT_FILE PARENT_PID</pre>
 */
public final class FailoverClientMain {
  private FailoverClientMain() {}

  public static void main(String[] args) throws IOException {
    String seed = args[0];
    int port = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    Path resultFile = Path.of(args[3]);
    long parent = Long.parseLong(args[4]);
    ClientNode client = ClientNode.start("local-cluster", List.of(seed), port);
    ActorSystem<Void> system = client.system();
    NodeMain.leaveWithParent(system, parent);
    String outcome;
    try {
      ClusterPool pool = client.pool(2);
      LongTask slow = (LongTask) TaskCatalog.shared().get("test-slow-square");
      JobListener progress =
          new JobListener() {
            private long next = 50;

            @Override
            public void progress(String jobId, long done, long total) {
              while (done >= next) {
                System.out.println("progress " + next);
                next += 50;
              }
            }

            @Override
            public void chunkRetried(String jobId, long seq, int size, String reason) {
              System.out.println("retried " + seq + ": " + reason);
            }
          };
      List<Long> squares =
          pool.mapAsync(slow, Inputs.range(1, n), 2, progress)
              .toCompletableFuture()
              .get(240, TimeUnit.SECONDS);
      long wrong = 0;
      for (int i = 0; i < n; i++) if (squares.get(i) != (long) (i + 1) * (i + 1)) wrong++;
      outcome =
          squares.size() == n && wrong == 0
              ? "done " + n
              : "wrong " + wrong + " of " + squares.size();
    } catch (Exception e) {
      outcome = "failed: " + e;
    }
    Path partial = resultFile.resolveSibling(resultFile.getFileName() + ".part");
    Files.writeString(partial, outcome);
    Files.move(partial, resultFile, StandardCopyOption.ATOMIC_MOVE);
    system.terminate();
  }
}
