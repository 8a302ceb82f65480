package org.clusterpool.coordinator.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.clusterpool.coordinator.connect.ClusterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A state file can name any pid (a stale one, reused by now; one edited by hand): a process is the
 * cluster's only when its start instant is the one recorded and it runs clusterpool, so that {@code
 * cluster down} and {@code cluster kill} never signal anyone else's.
 */
@Timeout(60)
class MemberProcessesTest {

  private static ClusterState.Member member(long pid, long startMillis) {
    return new ClusterState.Member(
        "worker-node-1",
        ClusterState.WORKER,
        1,
        pid,
        startMillis,
        ClusterState.RUNNING,
        0,
        Optional.empty());
  }

  @Test
  void aProcessIsTheClustersOnlyWhenItsStartAndItsCommandLineSaySo() throws Exception {
    Process unrelated = new ProcessBuilder("sleep", "60").start();
    // a shell whose command line names clusterpool, as a cluster's JVMs' do
    Process ours = new ProcessBuilder("sh", "-c", "sleep 60; : clusterpool").start();
    try {
      long unrelatedStart = MemberProcesses.startMillis(unrelated.toHandle());
      long oursStart = MemberProcesses.startMillis(ours.toHandle());
      assertTrue(oursStart > 0, "this system tells when a process started");

      assertFalse(MemberProcesses.alive(member(unrelated.pid(), 0)), "no start: not provable");
      assertTrue(
          MemberProcesses.ours(member(unrelated.pid(), unrelatedStart)).isEmpty(),
          "not clusterpool's, though the start matches: never signalled");
      assertFalse(MemberProcesses.alive(member(ours.pid(), 0)), "no start recorded");
      assertFalse(
          MemberProcesses.alive(member(ours.pid(), oursStart - 60_000)), "another start: reused");
      assertTrue(MemberProcesses.alive(member(ours.pid(), oursStart)));

      MemberProcesses.kill(member(unrelated.pid(), 0));
      MemberProcesses.terminate(member(unrelated.pid(), unrelatedStart));
      assertFalse(
          unrelated.waitFor(
              Duration.ofSeconds(1).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
          "never signalled");
      MemberProcesses.kill(member(ours.pid(), oursStart));
      assertTrue(ours.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "ours is killed");
    } finally {
      unrelated.destroyForcibly();
      ours.destroyForcibly();
    }
  }
}
