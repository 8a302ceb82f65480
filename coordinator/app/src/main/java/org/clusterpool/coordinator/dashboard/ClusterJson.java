package org.clusterpool.coordinator.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.clusterpool.node.protocol.ClusterStatus;

/**
 * The parts of a cluster's description that {@code GET /cluster} and the dashboard's snapshot both
 * write (a member, a worker, the coordinator's answer), written once so that the two cannot drift
 * apart.
 */
public final class ClusterJson {
  private ClusterJson() {}

  /**
   * A member as {@code address, roles, status, reachable, pid} (null while it has not told it); the
   * caller may add more.
   */
  public static ObjectNode member(ArrayNode into, DashboardSources.Member m) {
    ObjectNode member = into.addObject();
    member.put("address", m.address());
    ArrayNode roles = member.putArray("roles");
    m.roles().forEach(roles::add);
    member.put("status", m.status());
    member.put("reachable", m.reachable());
    if (m.pid() == null) member.putNull("pid");
    else member.put("pid", m.pid());
    return member;
  }

  /**
   * A worker: what it has done and has in flight. {@code cpuPrefix} goes before its capacity and
   * its batches out ({@code /cluster} says {@code cpu_capacity}, the dashboard's page reads {@code
   * capacity}).
   */
  public static void worker(ArrayNode into, ClusterStatus.WorkerStatus w, String cpuPrefix) {
    into.addObject()
        .put("name", w.info().name())
        .put("node", w.info().node())
        .put("pid", w.info().pid())
        .put("chunks_done", w.chunksDone())
        .put("inputs_done", w.inputsDone())
        .put("chunks_in_flight", w.chunksInFlight())
        .put("async_in_flight", w.asyncCallsInFlight())
        .put(cpuPrefix + "capacity", w.cpuCapacity())
        .put(cpuPrefix + "batches_out", w.cpuBatchesOut());
  }

  /**
   * {@code coordinator}: the member it runs on (null when none is up), whether it answered within
   * {@code timeout}, and when it did not, why.
   */
  public static ObjectNode coordinator(
      ObjectNode into, String node, boolean answers, Duration timeout) {
    ObjectNode coordinator = into.putObject("coordinator");
    if (node == null) coordinator.putNull("node");
    else coordinator.put("node", node);
    coordinator.put("answers", answers);
    if (!answers) {
      coordinator.put(
          "error",
          "the coordinator did not answer within "
              + timeout.toSeconds()
              + " s"
              + (node == null ? ": no coordinator-role member is up" : ""));
    }
    return coordinator;
  }
}
