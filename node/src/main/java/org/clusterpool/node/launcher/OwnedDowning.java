package org.clusterpool.node.launcher;

import java.time.Duration;
import org.apache.pekko.actor.AbstractActorWithTimers;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downing of the coordinator's member of a cluster it owns ({@link ClusterDowningProvider}): a
 * member unreachable for {@code stable} is downed, unless it was seen again meanwhile; this member
 * is never downed here.
 */
final class OwnedDowning extends AbstractActorWithTimers {
  private static final Logger log = LoggerFactory.getLogger(OwnedDowning.class);

  private record Check(UniqueAddress member) {}

  private final Duration stable;
  private final Cluster cluster = Cluster.get(getContext().getSystem());

  OwnedDowning(Duration stable) {
    this.stable = stable;
  }

  @Override
  public void preStart() {
    cluster.subscribe(
        getSelf(),
        ClusterEvent.initialStateAsEvents(),
        ClusterEvent.UnreachableMember.class,
        ClusterEvent.ReachableMember.class,
        ClusterEvent.MemberRemoved.class);
  }

  @Override
  public void postStop() {
    cluster.unsubscribe(getSelf());
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(
            ClusterEvent.UnreachableMember.class,
            event -> {
              UniqueAddress member = event.member().uniqueAddress();
              if (!member.equals(cluster.selfUniqueAddress()))
                getTimers().startSingleTimer(member, new Check(member), stable);
            })
        .match(
            ClusterEvent.ReachableMember.class,
            event -> getTimers().cancel(event.member().uniqueAddress()))
        .match(
            ClusterEvent.MemberRemoved.class,
            event -> getTimers().cancel(event.member().uniqueAddress()))
        .match(Check.class, this::check)
        .build();
  }

  private void check(Check check) {
    for (Member member : cluster.state().getUnreachable()) {
      if (member.uniqueAddress().equals(check.member())
          && member.status() != MemberStatus.down()
          && member.status() != MemberStatus.exiting()) {
        log.warn(
            "downing {}: unreachable for {} s (this JVM owns the cluster: it decides alone)",
            member.address(),
            stable.toSeconds());
        cluster.down(member.address());
      }
    }
  }
}
