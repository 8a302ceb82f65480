package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.function.Supplier;
import org.clusterpool.coordinator.pool.ClusterPool;

/**
 * An API job as both kinds ({@code map} and {@code gather}) run: on a pool of its own, made when
 * the job starts and closed at its end whatever the end, its results kept in a {@link ResultStore}.
 * What the registry and the streams ask of the results (how many, their JSON, their heap) is
 * answered here once. {@link ApiJob} itself stays free of pools and stores, so that a test's job
 * may run and hold its results as it likes.
 */
abstract class StoredResultsJob<R> extends ApiJob {
  protected final ResultStore<R> results;

  /** Cpu workers of the cluster when the job was submitted. */
  protected final int workers;

  /** Makes the job's own pool, sized to the cluster as it is when the job starts. */
  private final Supplier<ClusterPool> pools;

  StoredResultsJob(
      String id, long total, ResultStore<R> results, int workers, Supplier<ClusterPool> pools) {
    super(id, total);
    this.results = results;
    this.workers = workers;
    this.pools = pools;
  }

  @Override
  final void run() {
    ClusterPool pool = null;
    try {
      pool = pools.get();
      runsOn(pool);
      runOn(pool);
    } catch (Throwable e) {
      // the coordinator was lost or refused the job (a cancellation has already ended it), or an
      // error on this
      // thread: the job ends either way, and its slot is free
      fail(e);
    } finally {
      letGoOfInputs();
      if (pool != null) pool.close();
    }
  }

  /** Runs the job on its pool to its end: {@link #finish}, {@link #fail} or {@link #outgrown}. */
  abstract void runOn(ClusterPool pool);

  /** The job has ended: what it was given goes, only its results stay. */
  abstract void letGoOfInputs();

  @Override
  int available() {
    return results.size();
  }

  @Override
  void writeResult(JsonGenerator json, int index) throws IOException {
    results.write(json, index);
  }

  @Override
  long resultBytes() {
    return results.bytes();
  }

  @Override
  long resultBytesAt(long count) {
    return results.bytesAt(count);
  }
}
