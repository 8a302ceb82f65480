package org.clusterpool.coordinator.pool;

import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.task.ValueType;

/**
 * An iterator's results from a job of this JVM's pool client: it takes blocks from the job's {@link
 * StreamedResults} and, once a block is read, frees its place in the job's window, so that a slow
 * consumer slows the job down instead of filling memory.
 */
final class StreamedIteration<O> implements ResultIterator.Source<O> {
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
  private long position = -1;
  private String worker = "";

  StreamedIteration(
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
