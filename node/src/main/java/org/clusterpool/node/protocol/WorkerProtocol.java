package org.clusterpool.node.protocol;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.CborSerializable;

/**
 * What the coordinator may send a worker actor and a worker node: the worker side of the protocol.
 * It lives here, apart from the actors that implement it, so that the scheduler knows the messages
 * and not the worker's code.
 */
public final class WorkerProtocol {
  private WorkerProtocol() {}

  /**
   * What a worker actor accepts. Not sealed: the worker adds private messages of its own (timers,
   * completions).
   */
  public interface Command {}

  /**
   * Work: one batch of cpu units, or async units. {@code seq} numbers the assignments of one
   * coordinator incarnation to this worker from 1, so that the worker sees a gap (a lost message)
   * and says what it holds; the coordinator counts the worker's credit from what it sent and what
   * came back, never from deltas the worker sends.
   */
  public record Assign(
      long incarnation,
      long seq,
      TaskKind kind,
      List<WorkUnit> units,
      ActorRef<CoordinatorProtocol.Command> replyTo)
      implements Command, CborSerializable {}

  /**
   * The coordinator asks for a {@link CoordinatorProtocol.WorkerReport} now: it is new, or it
   * suspects a lost message.
   */
  public record ReportNow(ActorRef<CoordinatorProtocol.Command> replyTo)
      implements Command, CborSerializable {}

  /** What a worker node accepts from the coordinator. */
  public interface NodeCommand {}

  /**
   * The coordinator asks the node for its catalog ({@link CoordinatorProtocol.NodeCatalog}): it has
   * not got it whole.
   */
  public record SendCatalog(ActorRef<CoordinatorProtocol.Command> replyTo)
      implements NodeCommand, CborSerializable {}

  /**
   * Stops the job on the node: its async calls are cancelled, its queued cpu units skipped, its
   * running ones stop.
   */
  public record StopJob(String jobId) implements NodeCommand, Command, CborSerializable {}

  /**
   * Stops these units on the node: each was given to another worker after it passed its deadline,
   * and the earlier attempt is no longer wanted. A running cpu unit stops at its next look at its
   * cancellation.
   */
  public record StopUnits(List<Long> unitIds, String worker)
      implements NodeCommand, Command, CborSerializable {
    /**
     * {@code worker}: the name of the worker whose attempts stop ({@code worker-2}), when the units
     * run again on the node's other workers; empty for every worker of the node.
     */
    public StopUnits {
      worker = worker == null ? "" : worker;
    }

    /** Whether the worker of this name stops them. */
    public boolean stops(String name) {
      return worker.isEmpty() || worker.equals(name);
    }
  }
}
