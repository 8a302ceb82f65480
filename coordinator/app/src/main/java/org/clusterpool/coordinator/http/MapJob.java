package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.JobListener;
import org.clusterpool.coordinator.pool.ResultIterator;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.task.Task;

/**
 * {@code POST /map}: {@code Pool.imap} (or {@code imap_unordered}) over the cluster, its results
 * kept as they come. Like the command line, the first input that fails ends the job: the results
 * before it stay, the rest of the job is cancelled. So does anything thrown on its thread, errors
 * included.
 */
final class MapJob<I, O> extends StoredResultsJob<O> {
  private final Task<I, O> task;

  /** Let go when the job ends: only its results stay. */
  private volatile List<I> inputs;

  private final long inputBytes;
  private final int chunksize;
  private final boolean ordered;
  private ResultIterator<O> iterator;
  private boolean stopRequested;

  /**
   * {@code chunksize} 0 is automatic; {@code pools} makes the job's own pool, sized to the cluster
   * as it is now; {@code inputBytes} is about the heap the inputs take (nothing for a range).
   */
  MapJob(
      String id,
      Task<I, O> task,
      List<I> inputs,
      long inputBytes,
      int chunksize,
      boolean ordered,
      int workers,
      Supplier<ClusterPool> pools) {
    super(id, inputs.size(), ResultStore.forType(task.outputType(), inputs.size()), workers, pools);
    this.task = task;
    this.inputs = inputs;
    this.inputBytes = inputBytes;
    this.chunksize = chunksize;
    this.ordered = ordered;
  }

  @Override
  String kind() {
    return "map";
  }

  @Override
  void runOn(ClusterPool pool) {
    ResultIterator<O> it = pool.stream(task, inputs, chunksize, ordered, new Listener());
    synchronized (this) {
      iterator = it;
      if (stopRequested) it.close();
    }
    while (state() == State.RUNNING && it.hasNext()) {
      O value;
      try {
        value = it.next();
      } catch (TaskFailedException e) {
        fail(e);
        it.close();
        return;
      }
      results.add(value);
      changed();
      if (!stillFits()) {
        outgrown();
        it.close();
        return;
      }
    }
    finish();
  }

  @Override
  void letGoOfInputs() {
    inputs = null;
  }

  @Override
  protected synchronized void stopRunning(String reason) {
    stopRequested = true;
    if (iterator != null) iterator.close();
  }

  @Override
  long inputBytes() {
    return inputs == null ? 0 : inputBytes;
  }

  @Override
  void describe(ObjectNode json) {
    json.put("task", task.name());
    if (chunksize > 0) json.put("chunksize", chunksize);
    else json.put("chunksize", "auto");
    json.put("ordered", ordered);
    json.put("workers", workers);
  }

  /** Progress and retried chunks, from the pool's client actor: quick, no blocking. */
  private final class Listener implements JobListener {
    @Override
    public void progress(String jobId, long done, long total) {
      MapJob.this.progress(done);
    }

    @Override
    public void chunkRetried(String jobId, long seq, int size, String reason) {
      retried("chunk " + seq + " (" + size + " inputs) runs again: " + reason);
    }
  }
}
