package org.clusterpool.coordinator.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.coordinator.testcluster.Await;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.MemberDowning;
import org.clusterpool.node.launcher.NodeExit;
import org.clusterpool.node.launcher.SupervisedNode;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.WhoAmI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link LocalCluster} supervises its worker JVMs: one killed with SIGKILL is downed at once by
 * this JVM, which saw its process end (not by the failure detector: the downing is the
 * supervisor's, of a member still up), its member is removed, and a new JVM takes its place and
 * serves the next job.
 */
@Timeout(240)
class LocalClusterSupervisionTest {

  private static Set<UniqueAddress> members(Cluster cluster) {
    Set<UniqueAddress> members = new HashSet<>();
    for (Member m : cluster.state().getMembers()) members.add(m.uniqueAddress());
    return members;
  }

  @Test
  void aKilledWorkerJvmIsDownedAtOnceAndReplaced() throws Exception {
    LocalCluster cluster =
        LocalCluster.start(2, 1, Files.createTempDirectory("clusterpool-supervision-logs"));
    List<JvmProcess> all = new java.util.concurrent.CopyOnWriteArrayList<>(cluster.nodes());
    try {
      Cluster members = Cluster.get(cluster.coordinator().system());
      SupervisedNode node = cluster.supervisor().nodes().get(0);
      JvmProcess victim = cluster.nodes().get(0);
      long survivor = cluster.nodes().get(1).pid();
      String address = "pekko://clusterpool@127.0.0.1:" + node.port();
      UniqueAddress incarnation =
          StreamSupport.stream(members.state().getMembers().spliterator(), false)
              .filter(m -> m.address().toString().equals(address))
              .findFirst()
              .orElseThrow()
              .uniqueAddress();

      long killed = System.nanoTime();
      victim.kill();
      Await.until("its member removed", () -> !members(members).contains(incarnation));
      double removedAfter = (System.nanoTime() - killed) / 1e9;

      NodeExit exit =
          cluster
              .supervisor()
              .nodes()
              .get(0)
              .lastExit()
              .orElseThrow(() -> new AssertionError("no exit recorded"));
      assertEquals(victim.pid(), exit.pid());
      assertEquals("code 137 / killed", exit.cause());
      assertEquals(
          MemberDowning.Outcome.DOWNED,
          exit.member(),
          "the supervisor downed a member that was still up, at once: the failure detector had not"
              + " got to it");
      assertTrue(exit.replaced());

      Await.until(
          "the replacement's worker at the coordinator",
          () -> {
            List<JvmProcess> now = cluster.nodes();
            long pid = now.get(0).pid();
            return pid != victim.pid()
                && cluster.status().workers().stream().anyMatch(w -> w.info().pid() == pid);
          });
      all.addAll(cluster.nodes());
      SupervisedNode replaced = cluster.supervisor().nodes().get(0);
      assertEquals(1, replaced.restarts());
      assertEquals(SupervisedNode.State.RUNNING, replaced.state());
      long newPid = replaced.pid();
      assertNotEquals(victim.pid(), newPid);

      Set<Long> pids = new HashSet<>();
      for (WhoAmI.Answer answer : cluster.pool().map(BuiltinTasks.WHOAMI, Inputs.range(1, 40), 1))
        pids.add(answer.pid());
      assertEquals(
          Set.of(newPid, survivor), pids, "the replacement and the other node serve the next job");
      System.out.printf("kill -9 of a worker JVM to its member removed: %.2f s%n", removedAfter);
    } finally {
      cluster.close();
      for (JvmProcess process : all) assertFalse(process.isAlive(), process + " still runs");
    }
  }
}
