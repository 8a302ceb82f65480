package org.clusterpool.coordinator.pool;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.task.ValueType;

/**
 * The iterator {@code imap} returns. {@code next()} waits for the next result, like Python's
 * {@code IMapIterator}; an input whose task failed throws {@link TaskFailedException} at its place, and the
 * iteration may go on after it. {@link #close()} cancels what is left of the job.
 *
 * <p>It is also its own {@link Iterable}, as a Python iterator is its own {@code __iter__}, so that
 * {@code for (long x : pool.imap(...))} reads as {@code for x in pool.imap(...)}; like a Python iterator, it is
 * walked once. A loop left by {@code break} does not close it: open it in a try-with-resources to cancel the rest.
 */
public final class ResultIterator<O> implements Iterator<O>, Iterable<O>, AutoCloseable {
  private final ClientJob<?, O> job;
  private final StreamedResults<O> results;
  private final ValueType<O> type;
  private final Consumer<ClientJob<?, O>> onConsumed;
  private final Consumer<ClientJob<?, O>> onClose;
  private StreamedResults.Block block;
  private int part;
  private int index;
  private int nextError;
  private boolean ended;

  ResultIterator(
      ClientJob<?, O> job,
      StreamedResults<O> results,
      Consumer<ClientJob<?, O>> onConsumed,
      Consumer<ClientJob<?, O>> onClose) {
    this.job = job;
    this.results = results;
    this.type = job.task.outputType();
    this.onConsumed = onConsumed;
    this.onClose = onClose;
  }

  /** This iterator itself: a second loop goes on where the first stopped. */
  @Override
  public Iterator<O> iterator() {
    return this;
  }

  @Override
  public boolean hasNext() {
    while (!ended && (block == null || part >= block.parts().size())) {
      if (block != null && block.frees()) onConsumed.accept(job);
      block = null;
      StreamedResults.Item item;
      try {
        item = results.queue().take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the next result", e);
      }
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

  @Override
  public O next() {
    if (!hasNext()) throw new NoSuchElementException();
    ChunkRecord.Part p = block.parts().get(part);
    int i = index++;
    while (nextError < p.errors().size() && p.errors().get(nextError).index() < i) nextError++;
    ElementError error = nextError < p.errors().size() && p.errors().get(nextError).index() == i ? p.errors().get(nextError) : null;
    if (index >= p.outputs().size()) { // the part is read: the next one starts with its own errors
      part++;
      index = 0;
      nextError = 0;
    }
    if (error != null) throw job.failure(p.chunk(), p.offset() + i, error.error());
    return type.decode(p.outputs(), i);
  }

  /** Cancels the rest of the job, if any is left. */
  @Override
  public void close() {
    if (!ended) {
      ended = true;
      onClose.accept(job);
    }
  }

  private static RuntimeException asRuntime(Throwable error) {
    return error instanceof RuntimeException r ? r : new IllegalStateException(error.getMessage(), error);
  }
}
