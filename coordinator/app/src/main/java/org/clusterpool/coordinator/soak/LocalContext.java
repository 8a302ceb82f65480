package org.clusterpool.coordinator.soak;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.clusterpool.node.task.TaskContext;

/**
 * What a cpu task needs to run here, in the soak's own JVM, to give the value a worker's result is
 * checked against.
 */
enum LocalContext implements TaskContext {
  INSTANCE;

  @Override
  public String workerName() {
    return "soak-check";
  }

  @Override
  public String nodeAddress() {
    return "local";
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public String jobId() {
    return "check";
  }

  @Override
  public long inputIndex() {
    return 0;
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public boolean hostsCoordinator() {
    return false;
  }

  @Override
  public CompletableFuture<Void> sleep(Duration delay) {
    throw new UnsupportedOperationException("the soak checks cpu tasks only");
  }

  @Override
  public Map<String, Long> globals() {
    return Map.of();
  }
}
