package org.clusterpool.coordinator.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.clusterpool.node.handle.Inventory;
import org.clusterpool.node.pipe.PipeStats;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.queue.QueueStats;

/**
 * What the dashboard reads, as the HTTP API has it: the members (a cluster's, or this JVM alone for an embedded pool),
 * the coordinator's status, and the jobs of the API. Each answer is bounded in time by the caller's timeout.
 */
public interface DashboardSources {
  /** {@code cluster}, or {@code embedded} (one JVM, no Pekko Cluster). */
  String mode();

  /** This member's address. */
  String self();

  /** The member the coordinator runs on, as this member knows it; null when none is up. */
  String coordinatorNode();

  /** The members with their process, at most {@code max}. */
  CompletionStage<List<Member>> members(Duration timeout, int max);

  /** The coordinator's workers, jobs and counters. */
  CompletionStage<ClusterStatus> status(Duration timeout);

  /** The chunk spans the coordinator recorded after {@code afterSeq}, at most {@code max}. */
  CompletionStage<Activity> activity(long afterSeq, int max, Duration timeout);

  /** Every queue of the cluster, with what it holds. */
  CompletionStage<Inventory.Found<QueueStats>> queues(Duration timeout);

  /** Every pipe end of the cluster, with what it holds. */
  CompletionStage<Inventory.Found<PipeStats>> pipes(Duration timeout);

  /** The jobs the API keeps, newest first. */
  List<ApiJobRow> apiJobs();

  record Member(String address, List<String> roles, String status, boolean reachable, Long pid) {}

  /**
   * A job of the API as the dashboard shows it. {@code coordinatorJobs}: the ids the coordinator knows its parts by
   * (a job of the API is a client job of the coordinator), so that its spans and queue show under the API's id.
   * {@code error}: the API's error JSON, null while none.
   */
  record ApiJobRow(String id, String kind, String task, String state, long done, long total, long retried,
                   long startedMillis, ObjectNode error, List<String> coordinatorJobs) {}
}
