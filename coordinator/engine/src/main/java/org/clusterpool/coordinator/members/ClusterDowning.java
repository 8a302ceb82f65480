package org.clusterpool.coordinator.members;

import org.apache.pekko.actor.ActorRefProvider;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.clusterpool.node.launcher.MemberDowning;
import scala.Option;

/**
 * Downs, through this member, the member of a worker JVM that this JVM started and saw end. The
 * worker listened on this member's host (the local cluster is on one loopback address), so its port
 * names it.
 *
 * <p>Down alone is not enough for the work to move at once: Pekko removes a Down member only once
 * it is also unreachable or quarantined, so the member would stay until the failure detector gives
 * up on it (about 4 s on loopback), and the coordinator hears of its workers' end only at the
 * removal. Its process is gone for good, so this incarnation (its uid) is quarantined as well,
 * which is what Pekko does itself when it removes a downed member: the leader then removes it at
 * the next convergence, and every watcher of its actors hears at once.
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
      if (member.status() == MemberStatus.down() || member.status() == MemberStatus.removed())
        return Outcome.ALREADY_DOWN;
      cluster.manager().tell(new Down(address));
      quarantine(member);
      return Outcome.DOWNED;
    }
    return Outcome.NOT_A_MEMBER;
  }

  /**
   * Pekko's remoting has no public call for it; {@code RemoteActorRefProvider.quarantine} is the
   * one its own cluster code uses. A provider of another kind (none in a cluster) only means that
   * removal waits for the failure detector.
   */
  private void quarantine(Member member) {
    ActorRefProvider provider = ((ExtendedActorSystem) Adapter.toClassic(system)).provider();
    if (provider instanceof RemoteActorRefProvider remote) {
      remote.quarantine(
          member.address(),
          Option.apply((Object) member.uniqueAddress().longUid()),
          "its JVM ended: the JVM that started it saw the process end");
    }
  }
}
