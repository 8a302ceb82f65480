package org.clusterpool.coordinator.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.task.Task;

/**
 * The engine of {@link ClusterPool#local(int)}: the pool of a {@link LocalCluster} started for it,
 * which it stops once the pool has stopped (closed and idle, or terminated), or when this program
 * exits first. The worker JVMs also watch this JVM and leave when it ends without a word (SIGKILL),
 * so nothing outlives the program.
 */
final class StartedCluster implements PoolEngine {
  private final LocalCluster cluster;
  private final PoolEngine pool;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread onExit;

  StartedCluster(LocalCluster cluster) {
    this.cluster = cluster;
    this.pool = cluster.pool().engine();
    // a program that ends without closing its pool still stops the JVMs it started, in order and at
    // once
    this.onExit = new Thread(cluster::close, "clusterpool-local-exit");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  LocalCluster cluster() {
    return cluster;
  }

  @Override
  public <I, O> CompletionStage<List<O>> mapAsync(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize, JobListener listener) {
    return pool.mapAsync(task, inputs, chunksize, listener);
  }

  @Override
  public <I, O> ResultIterator<O> stream(
      Task<I, O> task, JobInputs<I> inputs, int chunksize, boolean ordered, JobListener listener) {
    return pool.stream(task, inputs, chunksize, ordered, listener);
  }

  @Override
  public <I, O> CompletionStage<O> applyAsync(Task<I, O> task, I input) {
    return pool.applyAsync(task, input);
  }

  @Override
  public <I, O> CallsJob startCalls(
      Task<I, O> task, List<I> inputs, CallSink<O> sink, CallLimit limit) {
    return pool.startCalls(task, inputs, sink, limit);
  }

  @Override
  public ClusterStatus status(Duration timeout) {
    return pool.status(timeout);
  }

  @Override
  public int workerSlots() {
    return pool.workerSlots();
  }

  @Override
  public void close() {
    pool.close();
    pool.whenStopped().whenComplete((done, error) -> stopCluster());
  }

  @Override
  public void terminate() {
    pool.terminate();
    stopCluster();
  }

  @Override
  public CompletionStage<Void> whenStopped() {
    return stopped;
  }

  @Override
  public boolean isOpen() {
    return pool.isOpen();
  }

  /**
   * Stops the JVMs on a thread of its own: it waits for them to leave, which no caller of close()
   * should.
   */
  private void stopCluster() {
    if (!stopping.compareAndSet(false, true)) return;
    Thread stopper =
        new Thread(
            () -> {
              try {
                cluster.close();
              } finally {
                try {
                  Runtime.getRuntime().removeShutdownHook(onExit);
                } catch (IllegalStateException exiting) {
                  // the program is exiting: the hook runs, and finds the cluster closed
                }
                stopped.complete(null);
              }
            },
            "clusterpool-local-stop");
    stopper.start();
  }
}
