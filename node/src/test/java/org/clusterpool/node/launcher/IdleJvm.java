package org.clusterpool.node.launcher;

/**
 * A JVM that does nothing until it is ended: what {@link NodeSupervisorTest} supervises, without a
 * cluster.
 */
public final class IdleJvm {
  private IdleJvm() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("idle JVM " + ProcessHandle.current().pid() + " started");
    Thread.sleep(Long.MAX_VALUE);
  }
}
