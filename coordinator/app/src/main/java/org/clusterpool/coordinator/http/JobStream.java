package org.clusterpool.coordinator.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /jobs/{id}/stream}: the job's results as NDJSON, one line as soon as results come (at
 * most {@link #MAX_PER_LINE} results and {@code max-line-bytes} a line), a progress line every
 * {@code heartbeat} while nothing comes, and a final line with the job's end. A client that reads
 * no line for several heartbeats knows that the coordinator is gone; one that reads the end of the
 * stream before the final line knows it too.
 */
final class JobStream {
  private JobStream() {}

  static final int MAX_PER_LINE = 1000;

  /**
   * Where the stream is: results and retries written so far; {@code ended} once the final line went
   * out.
   */
  private record Cursor(int results, int retries, boolean ended) {}

  /**
   * {@code executor} writes the lines: not the job's thread nor the timer's, which wake the stream.
   */
  static Source<ByteString, NotUsed> of(
      ApiJob job, int from, Duration heartbeat, long maxLineBytes, Executor executor) {
    Source<ByteString, NotUsed> lines =
        Source.unfoldAsync(
            new Cursor(from, 0, false),
            cursor -> next(job, cursor, heartbeat, maxLineBytes, executor));
    // counted while it runs: a job asked to end when nobody follows it ends once none does
    return Source.fromMaterializer(
            (materializer, attributes) -> {
              job.followed();
              return lines.watchTermination(
                  (notUsed, done) -> {
                    done.whenComplete((ended, error) -> job.unfollowed());
                    return notUsed;
                  });
            })
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  private static CompletionStage<Optional<Pair<Cursor, ByteString>>> next(
      ApiJob job, Cursor cursor, Duration heartbeat, long maxLineBytes, Executor lines) {
    if (cursor.ended()) return CompletableFuture.completedFuture(Optional.empty());
    return job.awaitChange(cursor.results(), heartbeat)
        .thenApplyAsync(
            changed -> {
              ApiJob.State state =
                  job.state(); // read before the results: all results of an ended job are in by now
              int available = job.available();
              List<String> retries = job.retries();
              List<String> newRetries =
                  retries.subList(Math.min(cursor.retries(), retries.size()), retries.size());
              long room =
                  maxLineBytes
                      - 512
                      - newRetries.stream().mapToLong(note -> note.length() * 3L + 4).sum()
                      - (job.error() == null ? 0 : job.error().toString().length() * 3L);
              int to =
                  JobJson.fitting(
                      job,
                      cursor.results(),
                      Math.min(available, cursor.results() + MAX_PER_LINE),
                      room);
              boolean last = state != ApiJob.State.RUNNING && to >= available;
              byte[] line =
                  JobJson.streamLine(
                      job,
                      state,
                      cursor.results(),
                      Math.max(cursor.results(), to),
                      last,
                      newRetries);
              Cursor next = new Cursor(Math.max(cursor.results(), to), retries.size(), last);
              return Optional.of(Pair.create(next, ByteString.fromArray(line)));
            },
            lines);
  }
}
