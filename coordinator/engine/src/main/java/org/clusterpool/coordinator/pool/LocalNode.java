package org.clusterpool.coordinator.pool;

import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.catalog.NodeTasks;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.worker.WorkerNode;
import org.clusterpool.node.worker.WorkerSettings;

/**
 * The worker node of an embedded pool, in the pool's own JVM: any task object the pool is handed
 * runs there. An object its catalog lacks (a task made from a function, an object of a class no jar
 * lists) is registered for as long as a job of it runs; the node's new catalog goes to the
 * coordinator before the job does, from the same thread, so that the coordinator knows the node
 * runs the task when the job comes.
 */
record LocalNode(
    NodeTasks tasks,
    ActorRef<WorkerProtocol.NodeCommand> ref,
    String address,
    WorkerSettings settings) {

  /**
   * The signature a job of {@code task} runs under here; {@code registered[0]} says whether it must
   * be given back.
   */
  TaskSignature register(
      Task<?, ?> task, ActorRef<CoordinatorProtocol.Command> coordinator, boolean[] registered) {
    TaskSignature cataloged = tasks.cataloged(task);
    if (cataloged != null) {
      registered[0] = false;
      return cataloged;
    }
    TaskSignature signature = tasks.register(task);
    registered[0] = true;
    WorkerNode.sendCatalog(tasks, ref, address, settings, coordinator);
    return signature;
  }

  /**
   * A job of a registered object ended: the object is forgotten once no job uses it, and the
   * coordinator told.
   */
  void release(TaskSignature signature, ActorRef<CoordinatorProtocol.Command> coordinator) {
    if (tasks.release(signature))
      WorkerNode.sendCatalog(tasks, ref, address, settings, coordinator);
  }
}
