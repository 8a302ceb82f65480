package org.clusterpool.coordinator.members;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.clusterpool.node.launcher.NodeSupervisor;

/**
 * The {@link NodeSupervisor} of the worker JVMs this member started, if it started any ({@code
 * cluster up}'s coordinator, a {@link LocalCluster}): how the HTTP API's {@code POST /nodes} finds
 * it.
 */
public final class NodeSupervision implements Extension {
  private final AtomicReference<NodeSupervisor> supervisor = new AtomicReference<>();

  private final ActorSystem<?> system;

  private NodeSupervision(ActorSystem<?> system) {
    this.system = system;
  }

  public static NodeSupervision get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public Optional<NodeSupervisor> supervisor() {
    return Optional.ofNullable(supervisor.get());
  }

  /**
   * This member's supervisor; a member has one at most. The direct links of the worker JVMs it
   * starts are this member's.
   */
  public void register(NodeSupervisor nodes) {
    if (!supervisor.compareAndSet(null, nodes))
      throw new IllegalStateException("this member supervises worker JVMs already");
    nodes.attachLinks(system);
  }

  private static final class Id extends ExtensionId<NodeSupervision> {
    static final Id INSTANCE = new Id();

    @Override
    public NodeSupervision createExtension(ActorSystem<?> system) {
      return new NodeSupervision(system);
    }
  }
}
