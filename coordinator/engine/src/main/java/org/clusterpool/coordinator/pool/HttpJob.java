package org.clusterpool.coordinator.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.Consumer;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.JobErrors;
import org.clusterpool.coordinator.connect.JobFollower;
import org.clusterpool.node.catalog.TaskNotAllowedException;

/**
 * One job of a connected pool on its cluster: submitted to the HTTP API ({@code POST /map}), then
 * followed on its stream to its final line. Never a wait without end: the stream writes a
 * heartbeat, and a silent or broken one is checked with a plain request (the stream resumes where
 * it stopped if the API still knows the job), then reported in one line ({@link
 * CoordinatorLostException}). The following is {@link JobFollower}'s, shared with the command line.
 */
final class HttpJob {
  private final ApiClient api;
  private final String id;
  private final int workers;
  private final JobFollower follower;

  private HttpJob(ApiClient api, JsonNode created) {
    this.api = api;
    this.id = created.path("job").asText();
    this.workers = created.path("workers").asInt();
    this.follower = new JobFollower(api, id);
  }

  /**
   * Submits; a refusal is the exception the same mistake raises in an embedded pool, with the API's
   * one line.
   */
  static HttpJob submit(ApiClient api, byte[] body) {
    try {
      return new HttpJob(api, api.post("/map", body));
    } catch (ApiClient.Failure e) {
      if (e.status() == 403) throw new TaskNotAllowedException(e.getMessage());
      if (e.status() == 409 || e.getMessage().startsWith("unknown task"))
        throw new TaskUnavailableException(e.getMessage());
      if (e.status() == 400 || e.status() == 413)
        throw new IllegalArgumentException(e.getMessage());
      throw new IllegalStateException(
          "the cluster at " + api.base() + " refused the job: " + e.getMessage());
    } catch (ApiClient.Unreachable e) {
      throw new IllegalStateException(
          "the cluster at "
              + api.base()
              + " does not answer: "
              + e.getMessage()
              + e.hint("; is it running? ('clusterpool cluster status')"));
    }
  }

  String id() {
    return id;
  }

  /** Cpu workers of the cluster when the job started. */
  int workers() {
    return workers;
  }

  /**
   * Hands every line of the stream to {@code onLine}, and returns the final one (the job's end).
   */
  JsonNode follow(Duration idleLimit, Consumer<JsonNode> onLine) {
    return follower.follow(
        idleLimit,
        onLine,
        message ->
            new CoordinatorLostException(
                "the cluster at " + api.base() + " lost job " + id + ": " + message),
        (received, problem) ->
            new CoordinatorLostException(
                "lost the cluster at "
                    + api.base()
                    + " during job "
                    + id
                    + ", after "
                    + received
                    + " results: "
                    + problem
                    + "; its coordinator stopped or left (see 'clusterpool cluster status'); if it"
                    + " comes back, the job may still run there: DELETE /jobs/"
                    + id
                    + " cancels it"));
  }

  /**
   * Cancels the job on the cluster, if it still runs; a cluster that is gone has nothing left to
   * cancel.
   */
  void cancel() {
    follower.cancel();
  }

  /** As {@link #cancel()}, without waiting: completes within {@link #cancelLimit()}. */
  java.util.concurrent.CompletableFuture<Void> cancelAsync() {
    return follower.cancelAsync();
  }

  /** The most a cancel waits. */
  Duration cancelLimit() {
    return follower.cancelLimit();
  }

  /**
   * Cancels {@code jobs} at once, and waits for them at most one cancel's limit: a pool that is
   * terminated, or an iteration closed, never waits on a coordinator that no longer answers.
   */
  static void cancelAll(java.util.Collection<HttpJob> jobs) {
    java.util.List<java.util.concurrent.CompletableFuture<Void>> cancels =
        new java.util.ArrayList<>();
    Duration limit = Duration.ZERO;
    for (HttpJob job : jobs) {
      cancels.add(job.cancelAsync());
      if (job.cancelLimit().compareTo(limit) > 0) limit = job.cancelLimit();
    }
    if (cancels.isEmpty()) return;
    try {
      java.util.concurrent.CompletableFuture.allOf(
              cancels.toArray(java.util.concurrent.CompletableFuture[]::new))
          .get(limit.toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // each cancel ends by its limit: the job ended meanwhile, or the cluster is gone
    }
  }

  /** Whether the final line says the job completed. */
  static boolean done(JsonNode end) {
    return end.path("state").asText().equals("done");
  }

  /**
   * The exception the same failure raises in this JVM, from the API's error: a task's failure whole
   * (its input, its position, the worker's stack), a cancellation, or the other kinds with their
   * one line.
   */
  static RuntimeException failure(JsonNode error) {
    return JobErrors.read(
        error,
        other -> {
          String kind = other.path("kind").asText();
          String message = other.path("message").asText();
          if (kind.equals("NoWorkersException") || kind.equals("TaskUnavailableException")) {
            return new TaskUnavailableException(other.path("summary").asText(message));
          }
          if (kind.equals("CoordinatorLostException")) return new CoordinatorLostException(message);
          return new IllegalStateException(other.path("summary").asText(kind + ": " + message));
        });
  }
}
