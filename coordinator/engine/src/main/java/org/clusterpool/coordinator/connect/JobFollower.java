package org.clusterpool.coordinator.connect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Follows one job of the HTTP API on its stream ({@code GET /jobs/{id}/stream}) to its final line,
 * for the two clients that submit over HTTP: the command line's {@code --connect} and a connected
 * {@code ClusterPool}. Never a wait without end: the stream writes a heartbeat, and a silent or
 * broken one is checked once with a plain request (the stream resumes where it stopped if the API
 * still knows the job), then reported in one line through the caller's functions, so that each
 * client raises its own kind of exception with its own words. The check waits at most the stream's
 * idle limit, and a cancel at most {@link #CANCEL_LIMIT} (or the client's timeout if shorter).
 */
public final class JobFollower {
  private static final int MAX_RESUMES = 3;

  /**
   * The most a cancel waits: a pool that is terminated, or an iterator closed, does not wait for a
   * coordinator that no longer answers.
   */
  public static final Duration CANCEL_LIMIT = Duration.ofSeconds(5);

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
    return follow(idleLimit, idleLimit, onLine, jobLost, coordinatorLost);
  }

  /**
   * As {@link #follow(Duration, Consumer, Function, BiFunction)}, waiting up to {@code patience}
   * since the last line for a coordinator that takes connections and does not answer: a JVM that is
   * only frozen (a long pause of its collector, a debugger, {@code kill -STOP}) answers again when
   * it wakes up, and the cluster waits for it as long. One that refuses connections is gone, and is
   * reported at once.
   */
  public JsonNode follow(
      Duration idleLimit,
      Duration patience,
      Consumer<JsonNode> onLine,
      Function<String, RuntimeException> jobLost,
      BiFunction<Long, String, RuntimeException> coordinatorLost) {
    try {
      JsonNode[] last = {null};
      long[] lastLine = {System.nanoTime()};
      for (int attempt = 0; ; attempt++) {
        String problem;
        try {
          api.stream(
              "/jobs/" + id + "/stream?from=" + received,
              idleLimit,
              line -> {
                lastLine[0] = System.nanoTime();
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
        if (attempt >= MAX_RESUMES) throw coordinatorLost.apply(received, problem);
        long checksFrom = System.nanoTime();
        Check check = check(idleLimit);
        int checks = 1;
        while (check == Check.UNANSWERED
            && System.nanoTime() - lastLine[0] < patience.toNanos()
            && !Thread.currentThread().isInterrupted()) {
          check = check(idleLimit);
          checks++;
        }
        if (check == Check.UNANSWERED) {
          String why =
              checks == 1
                  ? "it did not answer a check within " + ApiClient.span(idleLimit)
                  : "it answered none of "
                      + checks
                      + " checks in "
                      + ApiClient.span(Duration.ofNanos(System.nanoTime() - checksFrom));
          throw coordinatorLost.apply(received, problem + ", and " + why);
        }
        if (check != Check.ANSWERED)
          throw coordinatorLost.apply(received, problem + ", and " + check.gone);
      }
    } finally {
      ended = true;
    }
  }

  /**
   * Cancels the job on the cluster, if it is still followed; a cluster that is gone has nothing
   * left to cancel. Waits at most {@link #cancelLimit()}.
   */
  public void cancel() {
    cancelAsync().join();
  }

  /**
   * As {@link #cancel()}, without waiting: completes (never exceptionally) once the cluster has
   * answered, or within {@link #cancelLimit()}; so many jobs are cancelled at once.
   */
  public CompletableFuture<Void> cancelAsync() {
    if (ended) return CompletableFuture.completedFuture(null);
    // the job ended meanwhile, or the cluster is gone: nothing runs either way
    return api.deleteAsync("/jobs/" + id, cancelLimit());
  }

  /** The most a cancel waits: {@link #CANCEL_LIMIT}, or the client's timeout if shorter. */
  public Duration cancelLimit() {
    return api.timeout().compareTo(CANCEL_LIMIT) < 0 ? api.timeout() : CANCEL_LIMIT;
  }

  /** What a plain request about the job found after the stream broke or went silent. */
  private static final class Check {
    static final Check ANSWERED = new Check(null);
    static final Check UNANSWERED = new Check(null);

    /** What it did instead of answering, when it did not take the request. */
    private final String gone;

    private Check(String gone) {
      this.gone = gone;
    }
  }

  /**
   * After a broken stream: {@link Check#ANSWERED} when the API still knows the job (then the stream
   * resumes where it stopped), {@link Check#UNANSWERED} when it took the request and did not answer
   * it, else what it did. Waits at most {@code limit}.
   */
  private Check check(Duration limit) {
    try {
      api.get("/jobs/" + id + "?limit=1", limit);
      return Check.ANSWERED;
    } catch (ApiClient.Unreachable e) {
      return e.getCause() instanceof java.net.http.HttpTimeoutException t
              && !(t instanceof java.net.http.HttpConnectTimeoutException)
          ? Check.UNANSWERED
          : new Check("a check did not reach it either (" + e.getMessage() + ")");
    } catch (ApiClient.Failure e) {
      return new Check("it no longer knows the job (" + e.getMessage() + ")");
    }
  }
}
