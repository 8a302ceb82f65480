package org.clusterpool.coordinator.pool;

import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.task.ValueType;

/**
 * An iterator's results from a job of this JVM's pool client: it takes blocks from the job's {@link
 * StreamedResults} and, once a block is read, frees its place in the job's window, so that a slow
 * consumer slows the job down instead of filling memory. Once the pool has stopped, it hands out
 * what the job left in the queue and then ends, never waiting for results that can no longer come.
 */
final class StreamedIteration<O> implements ResultIterator.Source<O> {
  private final ClientJob<?, O> job;
  private final StreamedResults<O> results;
  private final ValueType<O> type;
  private final Consumer<ClientJob<?, O>> onConsumed;
  private final Consumer<ClientJob<?, O>> onClose;
  private final CompletableFuture<Void> poolStopped;
  private StreamedResults.Block block;
  private int part;
  private int index;
  private int nextError;
  private boolean ended;
  private long position = -1;
  private String worker = "";

  StreamedIteration(
      ClientJob<?, O> job,
      StreamedResults<O> results,
      Consumer<ClientJob<?, O>> onConsumed,
      Consumer<ClientJob<?, O>> onClose,
      CompletableFuture<Void> poolStopped) {
    this.job = job;
    this.poolStopped = poolStopped;
    this.results = results;
    this.type = job.task.outputType();
    this.onConsumed = onConsumed;
    this.onClose = onClose;
  }

  @Override
  public boolean hasNext() {
    while (!ended && (block == null || part >= block.parts().size())) {
      if (block != null && block.frees()) onConsumed.accept(job);
      block = null;
      StreamedResults.Item item = take();
      if (item instanceof StreamedResults.Block b) {
        block = b;
        part = 0;
        index = 0;
        nextError = 0;
      } else if (item instanceof StreamedResults.Failure f) {
        ended = true;
        throw asRuntime(f.error());
      } else {
        ended = true;
      }
    }
    return !ended;
  }

  /**
   * The next item of the queue. A job's last item (its end, or what failed it) is queued before the
   * pool can stop; so a queue found empty once the pool has stopped means that no more will come,
   * and the iteration ends with one line instead of waiting for ever.
   */
  private StreamedResults.Item take() {
    try {
      while (true) {
        StreamedResults.Item item =
            results.queue().poll(STOPPED_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (item != null) return item;
        if (poolStopped.isDone()) {
          item = results.queue().poll();
          if (item != null) return item;
          throw new IllegalStateException(
              "the pool stopped before job " + job.jobId + " gave its remaining results");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the next result", e);
    }
  }

  private static final long STOPPED_CHECK_MILLIS = 200;

  @Override
  public O next() {
    if (!hasNext()) throw new NoSuchElementException();
    ChunkRecord.Part p = block.parts().get(part);
    int i = index++;
    while (nextError < p.errors().size() && p.errors().get(nextError).index() < i) nextError++;
    ElementError error =
        nextError < p.errors().size() && p.errors().get(nextError).index() == i
            ? p.errors().get(nextError)
            : null;
    if (index >= p.outputs().size()) { // the part is read: the next one starts with its own errors
      part++;
      index = 0;
      nextError = 0;
    }
    position = p.chunk().firstIndex() + p.offset() + i;
    worker = p.worker();
    if (error != null) throw job.failure(p.chunk(), p.offset() + i, error.error());
    return type.decode(p.outputs(), i);
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public String worker() {
    return worker;
  }

  @Override
  public void close() {
    if (!ended) {
      ended = true;
      onClose.accept(job);
    }
  }

  private static RuntimeException asRuntime(Throwable error) {
    return error instanceof RuntimeException r
        ? r
        : new IllegalStateException(error.getMessage(), error);
  }
}
