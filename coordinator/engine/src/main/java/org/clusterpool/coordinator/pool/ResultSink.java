package org.clusterpool.coordinator.pool;

import java.util.List;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.wire.Values;

/**
 * Where a job's results go: a list ({@code map}), a stream ({@code imap}), or one value ({@code
 * apply}).
 */
interface ResultSink<O> {

  /**
   * Results of inputs {@code offset .. offset + outputs.size()} of the chunk, computed by {@code
   * worker}. Called on the client actor.
   */
  void onPart(
      ClientJob<?, O> job,
      ChunkRecord chunk,
      int offset,
      Values outputs,
      List<ElementError> errors,
      String worker);

  /** The chunk has all its results. */
  default void onChunkComplete(ClientJob<?, O> job, ChunkRecord chunk) {}

  void onComplete(ClientJob<?, O> job);

  void onFailure(Throwable error);

  /**
   * True when a chunk's place in the window frees as soon as its results are in; false when it
   * frees only once the consumer took them (a stream), which is what bounds an imap's memory.
   */
  default boolean freesWindowOnCompletion() {
    return true;
  }
}
