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
 * What the dashboard reads, as the HTTP API has it: the members (a cluster's, or this JVM alone for
 * an embedded pool), the coordinator's status, and the jobs of the API. Each answer is bounded in
 * time by the caller's timeout.
 */
public interface DashboardSources {
  /** {@code cluster}, or {@code embedded} (one JVM, no Pekko Cluster). */
  String mode();

  /** This member's address. */
  String self();

  /** The member the coordinator runs on, as this member knows it; null when none is up. */
  String coordinatorNode();

  /**
   * Whether the cluster marks the member at {@code address} unreachable now: nothing there is
   * asked, since it could not answer before the timeout and the snapshot would wait for it.
   */
  boolean unreachable(String address);

  /**
   * The members with their process, at most {@code max}; one that is unreachable is not asked for
   * its process.
   */
  CompletionStage<List<Member>> members(Duration timeout, int max);

  /** The coordinator's workers, jobs and counters. */
  CompletionStage<ClusterStatus> status(Duration timeout);

  /** The chunk spans the coordinator recorded after {@code afterSeq}, at most {@code max}. */
  CompletionStage<Activity> activity(long afterSeq, int max, Duration timeout);

  /**
   * Every queue of the cluster, with what it holds (those on an unreachable member are not asked).
   */
  CompletionStage<Inventory.Found<QueueStats>> queues(Duration timeout);

  /**
   * Every pipe end of the cluster, with what it holds (those on an unreachable member are not
   * asked).
   */
  CompletionStage<Inventory.Found<PipeStats>> pipes(Duration timeout);

  /** The jobs the API keeps, newest first. */
  List<ApiJobRow> apiJobs();

  record Member(String address, List<String> roles, String status, boolean reachable, Long pid) {}

  /**
   * A job of the API as the dashboard shows it. {@code coordinatorPrefix}: what the ids the
   * coordinator knows its parts by start with (a job of the API runs on a pool of its own, whose
   * jobs the coordinator knows as {@code j3f9c1a-1}, {@code -2}...), so that its spans show under
   * the API's id and its parts not as jobs of other clients; null before it has its pool. {@code
   * error}: the API's error JSON, null while none.
   */
  record ApiJobRow(
      String id,
      String kind,
      String task,
      String state,
      long done,
      long total,
      long retried,
      long startedMillis,
      ObjectNode error,
      String coordinatorPrefix) {

    /**
     * The prefix of a coordinator's job id: up to its first dash ({@code j3f9c1a-}), or the id
     * itself.
     */
    public static String prefixOf(String coordinatorJobId) {
      int dash = coordinatorJobId.indexOf('-');
      return dash < 0 ? coordinatorJobId : coordinatorJobId.substring(0, dash + 1);
    }
  }
}
