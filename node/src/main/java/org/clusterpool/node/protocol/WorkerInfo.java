package org.clusterpool.node.protocol;

/**
 * Who a worker is, for status pages and for {@code whoami}: its name, its node's address, its JVM's
 * pid.
 */
public record WorkerInfo(String name, String node, long pid) {
  /** {@code worker-2@pekko://clusterpool@127.0.0.1:25521}. */
  public String label() {
    return name + "@" + node;
  }
}
