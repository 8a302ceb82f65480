package org.clusterpool.node.worker;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.protocol.WorkerProtocol;

/**
 * A node's catalog as it travels: in parts under the {@link MessageBudget}, each numbered, all of
 * one version, so that a catalog of any size reaches the coordinator and an older one never
 * overrides a newer. A catalog of no task still goes, as one empty part: the coordinator learns
 * that the node runs nothing.
 */
final class CatalogMessages {
  private CatalogMessages() {}

  static List<CoordinatorProtocol.NodeCatalog> of(
      ActorRef<WorkerProtocol.NodeCommand> node,
      String address,
      long version,
      List<TaskSignature> tasks,
      MessageBudget budget) {
    List<List<TaskSignature>> parts = new ArrayList<>();
    List<TaskSignature> current = new ArrayList<>();
    long bytes = MessageBudget.text(address);
    for (TaskSignature task : tasks) {
      long size = MessageBudget.of(task);
      if (!current.isEmpty() && !budget.fits(bytes, size)) {
        parts.add(current);
        current = new ArrayList<>();
        bytes = MessageBudget.text(address);
      }
      current.add(task);
      bytes += size;
    }
    parts.add(current);
    List<CoordinatorProtocol.NodeCatalog> messages = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      messages.add(
          new CoordinatorProtocol.NodeCatalog(
              node, address, version, i, parts.size(), List.copyOf(parts.get(i))));
    }
    return messages;
  }
}
