package org.clusterpool.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.Consumer;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.connect.JobErrors;
import org.clusterpool.coordinator.connect.JobFollower;

/**
 * A job on a running cluster, for {@code --connect}: submitted to the coordinator's HTTP API, then
 * followed on its stream to its final line. Never a wait without end: the stream has a heartbeat,
 * and a silent or broken one is checked once with a plain request (it resumes where it stopped if
 * the API still answers), then reported in one line ({@link JobFollower}). Ctrl-C cancels the job
 * on the cluster.
 */
final class RemoteJob {
  /** Several heartbeats (the server writes a line every couple of seconds while a job runs). */
  private static final Duration IDLE_LIMIT = Duration.ofSeconds(15);

  /**
   * How long a coordinator that takes connections and answers nothing is waited for: a frozen
   * coordinator JVM of a local cluster is waited for a minute by its workers
   * (clusterpool.supervision.worker-heartbeat-pause), and its jobs go on when it wakes up.
   */
  private static final Duration PATIENCE = Duration.ofSeconds(75);

  /**
   * What every job this command submits asks: to be cancelled once no stream of it has been open
   * this long ({@code "abandoned_after"}). A command killed mid-job (kill -9, a closed terminal)
   * cancels nothing itself, and its job ran to its end for nobody; a broken stream is resumed
   * within seconds.
   */
  static final String ABANDONED_AFTER = "30s";

  private final ApiClient api;
  private final JsonNode created;
  private final String id;
  private final JobFollower follower;

  private RemoteJob(ApiClient api, JsonNode created) {
    this.api = api;
    this.created = created;
    this.id = created.path("job").asText();
    this.follower = new JobFollower(api, id);
  }

  /**
   * Submits; the API's refusal of bad input is a usage error with the API's message, the command
   * line's own.
   */
  static RemoteJob submit(ApiClient api, String path, byte[] body) {
    try {
      return new RemoteJob(api, api.post(path, body));
    } catch (ApiClient.Failure e) {
      // 403: a task the cluster's allow list leaves out, refused as the embedded pool refuses it
      if (e.status() == 400 || e.status() == 403 || e.status() == 409 || e.status() == 413)
        throw new UsageError(e.getMessage());
      throw new CommandFailure(
          "the cluster at " + api.base() + " refused the job: " + e.getMessage());
    } catch (ApiClient.Unreachable e) {
      throw new CommandFailure(
          "cannot reach the cluster's HTTP API: "
              + e.getMessage()
              + e.hint("; is it running? ('clusterpool cluster status')"));
    }
  }

  String id() {
    return id;
  }

  /** Cpu workers of the cluster when the job started. */
  int workers() {
    return created.path("workers").asInt();
  }

  /** Hands every line of the stream to {@code onLine} and returns the final one (the job's end). */
  JsonNode follow(Consumer<JsonNode> onLine) {
    Thread cancelOnExit = new Thread(follower::cancel, "clusterpool-cancel-remote-job");
    Runtime.getRuntime().addShutdownHook(cancelOnExit);
    try {
      return follower.follow(
          IDLE_LIMIT,
          PATIENCE,
          onLine,
          message ->
              new CommandFailure(
                  "the cluster at " + api.base() + " lost job " + id + ": " + message),
          (received, problem) ->
              new CommandFailure(
                  "lost the coordinator at "
                      + api.base()
                      + " during job "
                      + id
                      + ", after "
                      + received
                      + " results: "
                      + problem
                      + "; its JVM stopped or its node left the cluster (see 'clusterpool cluster"
                      + " status'); if it comes back, the job may still run there: DELETE /jobs/"
                      + id
                      + " cancels it"));
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cancelOnExit);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook runs
      }
    }
  }

  /**
   * The exception the same failure raises in this JVM, from the API's error: a task's failure whole
   * (with the worker's stack), a cancellation, or the other kinds with their message and the line
   * to print.
   */
  static RuntimeException failure(JsonNode error) {
    return JobErrors.read(
        error,
        other -> {
          String message = other.path("message").asText();
          return new RemoteJobException(
              other.path("kind").asText(), message, other.path("summary").asText(message));
        });
  }
}
