package org.clusterpool.coordinator.pool;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.wire.Values;

/**
 * {@code map}'s results: a list in input order. Like Python's {@code Pool.map}, the first failing
 * input fails the whole call; unlike it, the rest of the job is cancelled instead of computed for
 * nothing.
 */
final class CollectedResults<O> implements ResultSink<O> {
  private final CompletableFuture<List<O>> result = new CompletableFuture<>();
  private final ValueType<O> type;
  private Object[] values;
  private int size;

  CollectedResults(ValueType<O> type, long expected) {
    this.type = type;
    this.values = new Object[(int) Math.max(16, Math.min(expected, Integer.MAX_VALUE - 8))];
  }

  CompletableFuture<List<O>> result() {
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
      ElementError first = errors.get(0);
      job.fail(job.failure(chunk, offset + first.index(), first.error()));
      return;
    }
    long first = chunk.firstIndex() + offset;
    int n = outputs.size();
    ensure(first + n);
    if (outputs instanceof Values.Longs longs && type == ValueTypes.LONG) {
      long[] v = longs.values();
      for (int i = 0; i < n; i++) values[(int) first + i] = v[i];
    } else {
      for (int i = 0; i < n; i++) values[(int) first + i] = type.decode(outputs, i);
    }
    size = (int) Math.max(size, first + n);
  }

  private void ensure(long capacity) {
    if (capacity > values.length) {
      values =
          Arrays.copyOf(
              values,
              (int) Math.min(Integer.MAX_VALUE - 8, Math.max(capacity, values.length * 2L)));
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void onComplete(ClientJob<?, O> job) {
    result.complete(
        (List<O>) Arrays.asList(values.length == size ? values : Arrays.copyOf(values, size)));
  }

  @Override
  public void onFailure(Throwable error) {
    result.completeExceptionally(error);
  }
}
