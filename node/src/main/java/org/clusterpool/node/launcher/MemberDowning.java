package org.clusterpool.node.launcher;

/**
 * Downs the cluster member of a worker JVM whose process has just ended. The JVM that started the
 * process sees it end at once and knows it is gone for good, so its member can be downed without
 * waiting for the failure detector and the Split Brain Resolver: the work it held runs again at
 * once. Only the owner of the process can know this; a frozen JVM has not ended, and heartbeats
 * stay the rule for it and wherever nobody here owns the process.
 */
@FunctionalInterface
public interface MemberDowning {

  /** What became of the member. */
  enum Outcome {
    DOWNED("downed at once"),
    ALREADY_DOWN("the cluster had downed it already"),
    NOT_A_MEMBER("it was not a member (it had not joined yet, or had left)"),
    NO_CLUSTER("not downed: the supervising member has stopped");

    private final String phrase;

    Outcome(String phrase) {
      this.phrase = phrase;
    }

    /** For the log and the reports: {@code downed at once}. */
    public String phrase() {
      return phrase;
    }
  }

  /**
   * Downs the member that listened on this loopback port, if the cluster still has it. Never
   * blocks.
   */
  Outcome down(int port);
}
