package org.clusterpool.node.handle;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.clusterpool.node.member.JoinFailure;

/**
 * Whether this JVM's own node is still in the cluster: a handle that loses its queue or its other
 * end checks here first, so that its error names the true cause when it was this node that was
 * downed (a JVM frozen or cut off longer than the cluster waits) rather than the other's.
 */
public final class OwnNode {
  private OwnNode() {}

  /**
   * Why this node is out of the cluster ("this JVM's node HOST:PORT was downed or left the cluster
   * (member status Removed)"), or null while it is in it, or when the system is not a cluster
   * member at all.
   */
  public static String outOfCluster(ActorSystem<?> system) {
    Cluster cluster;
    try {
      cluster = Cluster.get(system);
    } catch (RuntimeException e) {
      return null; // not a cluster member (a local actor system)
    }
    // a member that has not joined yet is Removed too, so Removed alone says nothing: once it was
    // removed from the cluster, its cluster extension shuts down
    MemberStatus status = cluster.selfMember().status();
    boolean out =
        cluster.isTerminated()
            || status == MemberStatus.down()
            || status == MemberStatus.exiting()
            || status == MemberStatus.leaving();
    if (!out) return null;
    Optional<String> neverJoined = JoinFailure.of(system); // its system ended before it joined
    if (neverJoined.isPresent()) return neverJoined.get();
    String where =
        system.address().getHost().orElse("?")
            + ":"
            + system.address().getPort().map(String::valueOf).orElse("?");
    return "this JVM's node "
        + where
        + " was downed or left the cluster (member status "
        + (cluster.isTerminated() ? "Removed" : status)
        + ")";
  }
}
