package org.clusterpool.node.member;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.wire.CborSerializable;

/**
 * Says which process a cluster member is. Pekko's membership knows members by address only; a
 * status page (and {@code kill -9} in a fault demo) needs the JVM's pid. One reporter runs on every
 * member, worker or coordinator, registered with the receptionist, so a member without workers (a
 * standby coordinator) shows its pid too.
 */
public final class MemberReporter {
  private MemberReporter() {}

  public static final ServiceKey<Command> SERVICE_KEY =
      ServiceKey.create(Command.class, "clusterpool-member");

  public sealed interface Command permits GetMemberInfo {}

  public record GetMemberInfo(ActorRef<MemberInfo> replyTo) implements Command, CborSerializable {}

  /**
   * A member's process: its address ({@code pekko://clusterpool@127.0.0.1:25521}), pid, roles, when
   * its JVM started, its heap limit and its processors.
   */
  public record MemberInfo(
      String address,
      long pid,
      List<String> roles,
      long startedAtMillis,
      long maxHeapBytes,
      int processors)
      implements CborSerializable {

    public MemberInfo {
      roles = List.copyOf(roles);
    }
  }

  /** Starts this member's reporter. */
  public static void start(ActorSystem<?> system) {
    system.systemActorOf(create(), "member-reporter", Props.empty());
  }

  static Behavior<Command> create() {
    return Behaviors.setup(
        context -> {
          context
              .getSystem()
              .receptionist()
              .tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
          MemberInfo info = describe(context.getSystem());
          return Behaviors.receive(Command.class)
              .onMessage(
                  GetMemberInfo.class,
                  get -> {
                    get.replyTo().tell(info);
                    return Behaviors.same();
                  })
              .build();
        });
  }

  private static MemberInfo describe(ActorSystem<?> system) {
    // the provider's default address is the canonical one in a cluster, and the local one without
    // remoting
    String address = Adapter.toClassic(system).provider().getDefaultAddress().toString();
    var config = system.settings().config();
    List<String> roles =
        config.hasPath("pekko.cluster.roles")
            ? config.getStringList("pekko.cluster.roles")
            : List.of();
    return new MemberInfo(
        address,
        ProcessHandle.current().pid(),
        roles,
        ManagementFactory.getRuntimeMXBean().getStartTime(),
        Runtime.getRuntime().maxMemory(),
        Runtime.getRuntime().availableProcessors());
  }
}
