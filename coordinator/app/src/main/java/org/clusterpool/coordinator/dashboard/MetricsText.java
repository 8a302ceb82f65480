package org.clusterpool.coordinator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /metrics}: a snapshot in Prometheus' text format 0.0.4, as a Kubernetes operator
 * scrapes it: every metric with its HELP and TYPE lines, label values escaped as the format says
 * ({@code \\}, {@code \"}, {@code \n}).
 */
final class MetricsText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String[] JOB_STATES = {"running", "done", "failed", "cancelled"};
  private static final String[] MEMBER_STATUSES = {
    "Joining", "WeaklyUp", "Up", "Leaving", "Exiting", "Down", "Removed"
  };

  private final StringBuilder out = new StringBuilder(4096);

  private MetricsText() {}

  static String of(Snapshot snapshot, int feedsOpen, long feedEvents, long snapshotsMade) {
    MetricsText text = new MetricsText();
    text.write(snapshot, feedsOpen, feedEvents, snapshotsMade);
    return text.out.toString();
  }

  private void write(Snapshot snapshot, int feedsOpen, long feedEvents, long snapshotsMade) {
    JsonNode json = snapshot.json();
    boolean answers = json.path("coordinator").path("answers").asBoolean();
    metric(
        "clusterpool_coordinator_up",
        "gauge",
        "1 when the coordinator answered this member's last question, else 0");
    sample("clusterpool_coordinator_up", Map.of(), answers ? 1 : 0);

    Map<String, Long> states = new TreeMap<>();
    for (String state : JOB_STATES) states.put(state, 0L);
    for (JsonNode job : json.path("jobs")) states.merge(job.path("state").asText(), 1L, Long::sum);
    metric(
        "clusterpool_jobs",
        "gauge",
        "Jobs by state: the API's kept jobs, and the running jobs of other clients");
    states.forEach((state, count) -> sample("clusterpool_jobs", Map.of("state", state), count));

    metric(
        "clusterpool_results_total",
        "counter",
        "Results the workers made (inputs done), as this member sampled them");
    sample("clusterpool_results_total", Map.of(), snapshot.resultsTotal());

    metric(
        "clusterpool_results_per_second",
        "gauge",
        "Results per second over the last 2 s, of all jobs");
    sample(
        "clusterpool_results_per_second",
        Map.of(),
        json.path("throughput").path("total").asDouble());

    metric("clusterpool_workers", "gauge", "Worker actors the coordinator knows");
    sample("clusterpool_workers", Map.of(), json.path("workers").size());
    metric("clusterpool_chunks_in_flight", "gauge", "Chunks sent to workers and not answered yet");
    long inFlight = 0;
    for (JsonNode worker : json.path("workers"))
      inFlight += worker.path("chunks_in_flight").asLong();
    sample("clusterpool_chunks_in_flight", Map.of(), inFlight);

    Map<String, Long> statuses = new TreeMap<>();
    for (String status : MEMBER_STATUSES) statuses.put(status, 0L);
    long unreachable = 0;
    for (JsonNode member : json.path("members")) {
      statuses.merge(member.path("status").asText(), 1L, Long::sum);
      if (!member.path("reachable").asBoolean()) unreachable++;
    }
    metric("clusterpool_members", "gauge", "Cluster members by status");
    statuses.forEach(
        (status, count) -> sample("clusterpool_members", Map.of("status", status), count));
    metric("clusterpool_members_unreachable", "gauge", "Members this member cannot reach now");
    sample("clusterpool_members_unreachable", Map.of(), unreachable);

    JsonNode faults = json.path("faults");
    if (answers) {
      metric(
          "clusterpool_chunks_rerun_total",
          "counter",
          "Units that went back to the queue and ran again (lost worker or answer)");
      sample("clusterpool_chunks_rerun_total", Map.of(), faults.path("units_retried").asLong());
      counter(
          faults,
          "late_results_dropped",
          "Results that came after their unit had been answered, dropped");
      counter(faults, "lost_answers_recovered", "Units whose answer was lost and that ran again");
      counter(faults, "workers_lost", "Workers the coordinator lost");
      counter(faults, "jobs_failed_for_no_worker", "Jobs ended for want of a worker");
    }

    metric("clusterpool_queue_size", "gauge", "Items in each queue of the cluster");
    for (JsonNode queue : json.path("queues")) {
      sample(
          "clusterpool_queue_size",
          Map.of("queue", queue.path("name").asText(), "node", queue.path("node").asText()),
          queue.path("size").asLong());
    }
    metric(
        "clusterpool_pipe_buffered", "gauge", "Messages buffered in each pipe end of the cluster");
    for (JsonNode pipe : json.path("pipes")) {
      sample(
          "clusterpool_pipe_buffered",
          Map.of(
              "pipe",
              pipe.path("name").asText(),
              "end",
              pipe.path("end").asText(),
              "node",
              pipe.path("node").asText()),
          pipe.path("buffered").asLong());
    }

    metric(
        "clusterpool_dashboard_feeds",
        "gauge",
        "Dashboard pages connected to this member's live feed now");
    sample("clusterpool_dashboard_feeds", Map.of(), feedsOpen);
    metric(
        "clusterpool_dashboard_events_total",
        "counter",
        "Events this member's live feed sent, on all connections");
    sample("clusterpool_dashboard_events_total", Map.of(), feedEvents);
    metric(
        "clusterpool_dashboard_snapshots_total",
        "counter",
        "Snapshots of the cluster made for the feed and /metrics");
    sample("clusterpool_dashboard_snapshots_total", Map.of(), snapshotsMade);
  }

  private void counter(JsonNode faults, String name, String help) {
    String metric = "clusterpool_" + name + "_total";
    metric(metric, "counter", help);
    sample(metric, Map.of(), faults.path(name).asLong());
  }

  private void metric(String name, String type, String help) {
    out.append("# HELP ")
        .append(name)
        .append(' ')
        .append(help.replace("\\", "\\\\").replace("\n", "\\n"))
        .append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, Map<String, String> labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
        if (!first) out.append(',');
        first = false;
        out.append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
      }
      out.append('}');
    }
    out.append(' ');
    if (value == Math.rint(value) && !Double.isInfinite(value)) out.append((long) value);
    else out.append(String.format(Locale.ROOT, "%s", value));
    out.append('\n');
  }

  /** A label value as the text format wants it: backslash, double quote and line feed escaped. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
