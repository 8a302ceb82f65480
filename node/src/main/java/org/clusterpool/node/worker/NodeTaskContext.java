package org.clusterpool.node.worker;

import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.node.task.TaskContext;

/**
 * The {@link TaskContext} of a task that runs on a clusterpool node, with what the task API leaves
 * out so that a task compiles without Pekko: the node's actor system. Through it a task reaches
 * what the cluster names, with the same calls a program makes from its own actor system:
 *
 * <pre>{@code
 * DistributedQueue.lookupAsync(NodeTaskContext.systemOf(context), "jobs", ValueTypes.LONG)
 * Pipe.open(NodeTaskContext.systemOf(context), "ping", ValueTypes.LONG, Pipe.End.SECOND)
 * }</pre>
 */
public interface NodeTaskContext extends TaskContext {

  /** The actor system of the JVM that runs the task (the worker's, on a worker node). */
  ActorSystem<?> system();

  /**
   * The actor system behind a task's context; a context that has none (a test's own) is a clear
   * error.
   */
  static ActorSystem<?> systemOf(TaskContext context) {
    if (context instanceof NodeTaskContext node) return node.system();
    throw new IllegalStateException(
        "this task reaches queues, pipes or actors, and needs the actor system of a clusterpool"
            + " node: its context ("
            + context.getClass().getName()
            + ") is not a node's");
  }
}
