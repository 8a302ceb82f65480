package org.clusterpool.node.launcher;

import java.util.Optional;

/**
 * One worker JVM slot of a {@link NodeSupervisor}, as it stands: its name (kept across restarts),
 * the port and pid of its current JVM, how many times it was started again, and how its last JVM
 * ended.
 *
 * @param downedOnExit how many of its JVMs had their member downed by the supervisor the moment it
 *     saw them end (a member the failure detector had downed already, or one not yet joined, does
 *     not count)
 */
public record SupervisedNode(
    int number,
    String name,
    int port,
    long pid,
    long processStartMillis,
    State state,
    int restarts,
    Optional<NodeExit> lastExit,
    int downedOnExit) {

  public enum State {
    /** Its JVM runs (it may still be joining the cluster). */
    RUNNING,
    /** Its JVM ended; a new one starts when the backoff delay is over. */
    RESTARTING,
    /** Its JVM ended and no new one comes: restarts are off, or supervision stopped. */
    DEAD
  }

  /**
   * How many of its JVMs have ended: each restart followed one, and so does a wait for the next
   * start.
   */
  public int exits() {
    if (lastExit.isEmpty()) return 0;
    return restarts + (state == State.RUNNING ? 0 : 1);
  }
}
