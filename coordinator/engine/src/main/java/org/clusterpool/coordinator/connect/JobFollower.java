package org.clusterpool.coordinator.connect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Follows one job of the HTTP API on its stream ({@code GET /jobs/{id}/stream}) to its final line,
 * for the two clients that submit over HTTP: the command line's {@code --connect} and a connected
 * {@code ClusterPool}. Never a wait without end: the stream writes a heartbeat, and a silent or
 * broken one is checked once with a plain request (the stream resumes where it stopped if the API
 * still knows the job), then reported in one line through the caller's functions, so that each
 * client raises its own kind of exception with its own words.
 */
public final class JobFollower {
  private static final int MAX_RESUMES = 3;

  private final ApiClient api;
  private final String id;
  private volatile boolean ended;
  private long received;

  public JobFollower(ApiClient api, String id) {
    this.api = api;
    this.id = id;
  }

  /**
   * Hands every line of the stream to {@code onLine} and returns the final one (the job's end).
   * {@code jobLost}: the exception when the API answers with an error for the job's stream (the job
   * is gone from it); {@code coordinatorLost}: the exception when the stream broke or stayed silent
   * and the API no longer answers for the job, from the results received so far and the problem.
   */
  public JsonNode follow(
      Duration idleLimit,
      Consumer<JsonNode> onLine,
      Function<String, RuntimeException> jobLost,
      BiFunction<Long, String, RuntimeException> coordinatorLost) {
    try {
      JsonNode[] last = {null};
      for (int attempt = 0; ; attempt++) {
        String problem;
        try {
          api.stream(
              "/jobs/" + id + "/stream?from=" + received,
              idleLimit,
              line -> {
                received += line.path("results").size();
                onLine.accept(line);
                if (!line.path("state").asText().equals("running")) last[0] = line;
              });
          if (last[0] != null) return last[0];
          problem = "it ended the stream before the job's final line";
        } catch (ApiClient.Unreachable e) {
          problem = e.getMessage();
        } catch (ApiClient.Failure e) {
          throw jobLost.apply(e.getMessage());
        }
        if (attempt >= MAX_RESUMES || !stillAnswers())
          throw coordinatorLost.apply(received, problem);
      }
    } finally {
      ended = true;
    }
  }

  /**
   * Cancels the job on the cluster, if it is still followed; a cluster that is gone has nothing
   * left to cancel.
   */
  public void cancel() {
    if (ended) return;
    try {
      api.delete("/jobs/" + id);
    } catch (RuntimeException e) {
      // the job ended meanwhile, or the cluster is gone: nothing runs either way
    }
  }

  /**
   * After a broken stream: whether the API still knows the job (then the stream resumes where it
   * stopped).
   */
  private boolean stillAnswers() {
    try {
      api.get("/jobs/" + id + "?limit=1");
      return true;
    } catch (ApiClient.Unreachable | ApiClient.Failure e) {
      return false;
    }
  }
}
