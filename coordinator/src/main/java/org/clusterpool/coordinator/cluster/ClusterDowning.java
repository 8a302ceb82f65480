package org.clusterpool.coordinator.cluster;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.clusterpool.node.launcher.MemberDowning;

/**
 * Downs, through this member, the member of a worker JVM that this JVM started and saw end. The worker listened on
 * this member's host (the local cluster is on one loopback address), so its port names it.
 */
public final class ClusterDowning implements MemberDowning {
  private final ActorSystem<?> system;

  public ClusterDowning(ActorSystem<?> system) {
    this.system = system;
  }

  @Override
  public Outcome down(int port) {
    if (system.whenTerminated().isCompleted()) return Outcome.NO_CLUSTER;
    Cluster cluster = Cluster.get(system);
    Address self = cluster.selfMember().address();
    Address address = new Address(self.protocol(), self.system(), self.host().get(), port);
    for (Member member : cluster.state().getMembers()) {
      if (!member.address().equals(address)) continue;
      if (member.status() == MemberStatus.down() || member.status() == MemberStatus.removed()) return Outcome.ALREADY_DOWN;
      cluster.manager().tell(new Down(address));
      return Outcome.DOWNED;
    }
    return Outcome.NOT_A_MEMBER;
  }
}
