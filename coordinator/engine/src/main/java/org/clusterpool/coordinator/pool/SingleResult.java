package org.clusterpool.coordinator.pool;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.wire.Values;

/** {@code apply}'s result: one value, or the task's failure. */
final class SingleResult<O> implements ResultSink<O> {
  private final CompletableFuture<O> result = new CompletableFuture<>();

  CompletableFuture<O> result() {
    return result;
  }

  @Override
  public void onPart(
      ClientJob<?, O> job,
      ChunkRecord chunk,
      int offset,
      Values outputs,
      List<ElementError> errors,
      String worker) {
    if (!errors.isEmpty()) {
      result.completeExceptionally(
          job.failure(chunk, offset + errors.get(0).index(), errors.get(0).error()));
    } else {
      result.complete(job.task.outputType().decode(outputs, 0));
    }
  }

  @Override
  public void onComplete(ClientJob<?, O> job) {}

  @Override
  public void onFailure(Throwable error) {
    result.completeExceptionally(error);
  }
}
