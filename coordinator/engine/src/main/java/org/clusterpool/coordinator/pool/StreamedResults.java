package org.clusterpool.coordinator.pool;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.wire.Values;

/**
 * {@code imap} and {@code imap_unordered}: results go to a queue that the caller's iterator drains.
 * In order, a chunk waits here until the chunks before it are out; unordered, every part goes out
 * as it arrives. A chunk frees its place in the job's window only when the iterator has taken it,
 * so a slow consumer slows the job down instead of filling memory.
 */
final class StreamedResults<O> implements ResultSink<O> {

  /** What the iterator takes from the queue. */
  sealed interface Item permits Block, End, Failure {}

  /**
   * Results to hand out in this order; after the last, the chunk's place in the window frees if
   * {@code frees}.
   */
  record Block(List<ChunkRecord.Part> parts, boolean frees) implements Item {}

  record End() implements Item {}

  record Failure(Throwable error) implements Item {}

  private final boolean ordered;
  private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final Map<Long, ChunkRecord> completed = new TreeMap<>();
  private long nextSeq;

  StreamedResults(boolean ordered) {
    this.ordered = ordered;
  }

  BlockingQueue<Item> queue() {
    return queue;
  }

  @Override
  public boolean freesWindowOnCompletion() {
    return false;
  }

  @Override
  public void onPart(
      ClientJob<?, O> job,
      ChunkRecord chunk,
      int offset,
      Values outputs,
      List<ElementError> errors,
      String worker) {
    ChunkRecord.Part part = new ChunkRecord.Part(chunk, offset, outputs, errors, worker);
    if (ordered) {
      chunk.keep(part);
    } else {
      boolean last = chunk.remaining == outputs.size();
      queue.add(new Block(List.of(part), last));
    }
  }

  @Override
  public void onChunkComplete(ClientJob<?, O> job, ChunkRecord chunk) {
    if (!ordered) return;
    completed.put(chunk.seq(), chunk);
    ChunkRecord next;
    while ((next = completed.remove(nextSeq)) != null) {
      List<ChunkRecord.Part> parts = next.parts;
      parts.sort(Comparator.comparingInt(ChunkRecord.Part::offset));
      queue.add(new Block(parts, true));
      nextSeq++;
    }
  }

  @Override
  public void onComplete(ClientJob<?, O> job) {
    queue.add(new End());
  }

  @Override
  public void onFailure(Throwable error) {
    queue.add(new Failure(error));
  }
}
