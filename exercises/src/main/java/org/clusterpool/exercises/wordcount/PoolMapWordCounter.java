package org.clusterpool.exercises.wordcount;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.exercises.actors.SolutionActorSystem;

/**
 * Pool map over chunks, then a merge: the chunks go to one worker actor per core, in turn, one
 * message each; each worker counts into its own map; at the end each sends its map in one message,
 * and the maps are merged. No memory is shared while counting, so nothing is locked.
 */
final class PoolMapWordCounter implements WordCounter {
  private final int workerCount = Math.max(2, Runtime.getRuntime().availableProcessors());
  private SolutionActorSystem system;
  private List<ActorRef<ChunkCounter.Command>> workers;

  /** Where each thread sends its next chunk; slot {@code t} is only used by thread {@code t}. */
  private int[] next;

  @Override
  public void open(int threads) {
    system = SolutionActorSystem.start("pool-map");
    workers = new ArrayList<>(workerCount);
    for (int w = 0; w < workerCount; w++)
      workers.add(system.spawn(ChunkCounter.create(), "worker-" + w));
    next = new int[threads];
    for (int t = 0; t < threads; t++) next[t] = t % workerCount;
  }

  @Override
  public void count(int thread, String chunk) {
    workers.get(next[thread]).tell(new ChunkCounter.CountChunk(chunk));
    next[thread] = (next[thread] + 1) % workerCount;
  }

  @Override
  public Map<String, Long> frequencies() throws InterruptedException {
    List<CompletionStage<ChunkCounter.Counts>> replies = new ArrayList<>(workerCount);
    for (ActorRef<ChunkCounter.Command> worker : workers) {
      replies.add(
          system.<ChunkCounter.Command, ChunkCounter.Counts>askAsync(
              worker, ChunkCounter.Report::new));
    }
    Map<String, Long> merged = new HashMap<>();
    for (CompletionStage<ChunkCounter.Counts> reply : replies) {
      SolutionActorSystem.await(reply)
          .counts()
          .forEach((word, count) -> merged.merge(word, count, Long::sum));
    }
    return merged;
  }

  @Override
  public void close() {
    if (system != null) system.terminate();
  }
}
