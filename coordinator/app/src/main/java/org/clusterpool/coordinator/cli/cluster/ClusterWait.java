package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.connect.StateFile;

/**
 * Waits, within a bound, until worker nodes that the coordinator JVM started have all their workers
 * at the coordinator, reading the state file (which the coordinator writes: the nodes' pids and
 * ports, and any that ended) and asking the HTTP API ({@code GET /cluster}) a few times a second.
 * The coordinator ending ends the wait at once; so does one of these nodes ending for the {@link
 * #EXITS EXITS}th time (or for good, with {@code --no-restart}), with its cause and log file named:
 * a port taken meanwhile by another program is worth a new try on another port, but a node that
 * keeps dying while it joins is a problem to report, not to wait out.
 */
final class ClusterWait {
  private ClusterWait() {}

  private static final long POLL_MILLIS = 250;
  private static final int EXITS = 3;

  /** What the cluster looked like once the nodes had joined. */
  record Joined(JsonNode cluster, ClusterState state) {}

  /**
   * Returns once every node of {@code names} has its {@code workersPerNode} workers at the
   * coordinator and has told its pid. {@code during} says what is going on, for the errors: {@code
   * the cluster formed}.
   */
  static Joined forNodes(
      ApiClient api,
      ClusterState.Member coordinator,
      List<String> names,
      int workersPerNode,
      Duration timeout,
      Path logs,
      String during) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "the coordinator had not written the cluster's state yet";
    while (true) {
      if (!MemberProcesses.alive(coordinator)) {
        throw new CommandFailure(
            "the coordinator (pid "
                + coordinator.pid()
                + ") exited while "
                + during
                + "; see "
                + logs.resolve("coordinator.log")
                + lastLine(logs.resolve("coordinator.log")));
      }
      Optional<ClusterState> written =
          StateFile.read()
              .filter(s -> s.coordinator().map(c -> c.pid() == coordinator.pid()).orElse(false));
      if (written.isPresent()) {
        ClusterState state = written.get();
        List<ClusterState.Member> nodes =
            names.stream().map(state::member).flatMap(Optional::stream).toList();
        for (ClusterState.Member node : nodes) {
          if (node.exits() >= EXITS
              || (node.lastExit().isPresent() && node.status().equals(ClusterState.DEAD))) {
            throw exited(node, node.lastExit().get(), logs, during);
          }
        }
        if (nodes.size() < names.size()) {
          lastProblem =
              "the coordinator had started "
                  + nodes.size()
                  + " of "
                  + names.size()
                  + " worker JVMs";
        } else {
          try {
            JsonNode cluster = api.get("/cluster");
            int missing = 0;
            int silent = 0;
            for (ClusterState.Member node : nodes) {
              missing += Math.max(0, workersPerNode - workersOn(cluster, node));
              if (!reportsPid(cluster, node)) silent++;
            }
            if (missing == 0
                && silent == 0
                && cluster.path("coordinator").path("answers").asBoolean())
              return new Joined(cluster, state);
            lastProblem =
                missing > 0
                    ? missing
                        + " of "
                        + nodes.size() * workersPerNode
                        + " workers had not reached the coordinator"
                    : silent + " nodes had not told their pid yet";
          } catch (ApiClient.Unreachable | ApiClient.Failure e) {
            lastProblem = e.getMessage();
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new CommandFailure(
            "the worker nodes did not join within "
                + timeout.toSeconds()
                + " s ("
                + lastProblem
                + "); see the logs in "
                + logs);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailure("interrupted while " + during);
      }
    }
  }

  private static CommandFailure exited(
      ClusterState.Member node, ClusterState.Exit exit, Path logs, String during) {
    String last =
        exit.logTail().isEmpty()
            ? ""
            : "; its log ends with: " + exit.logTail().get(exit.logTail().size() - 1);
    String times = node.exits() == 1 ? "" : " " + node.exits() + " times";
    return new CommandFailure(
        node.name()
            + " (pid "
            + exit.pid()
            + ") exited ("
            + exit.cause()
            + ")"
            + times
            + " while "
            + during
            + "; see "
            + logs.resolve(node.name() + ".log")
            + last);
  }

  /** The member is up, and its reporter answered (so 'status' shows its pid). */
  private static boolean reportsPid(JsonNode cluster, ClusterState.Member node) {
    for (JsonNode member : cluster.path("members")) {
      if (member.path("address").asText().equals(node.address()))
        return member.path("pid").asLong() == node.pid();
    }
    return false;
  }

  private static int workersOn(JsonNode cluster, ClusterState.Member node) {
    int count = 0;
    for (JsonNode worker : cluster.path("workers")) {
      if (worker.path("node").asText().equals(node.address())
          && worker.path("pid").asLong() == node.pid()) count++;
    }
    return count;
  }

  /**
   * {@code ; its log ends with: LINE}, escaped and cut short, or nothing: what a JVM that ended
   * said last.
   */
  /**
   * The log's last line that says something: a stack trace's frames, its "... N more" and its
   * "Caused by" lines are not what went wrong, but where.
   */
  private static String lastLine(Path log) {
    try {
      List<String> lines =
          java.nio.file.Files.readAllLines(log).stream()
              .filter(
                  l ->
                      !l.isBlank()
                          && !l.startsWith("\tat ")
                          && !l.startsWith("\t... ")
                          && !l.startsWith("Caused by: "))
              .toList();
      if (lines.isEmpty()) return "";
      String last = lines.get(lines.size() - 1).replaceAll("\\p{Cntrl}", "?");
      return "; its log ends with: "
          + (last.length() <= 300 ? last : last.substring(0, 300) + "...");
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return "";
    }
  }
}
