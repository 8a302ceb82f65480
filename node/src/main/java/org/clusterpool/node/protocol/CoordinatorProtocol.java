package org.clusterpool.node.protocol;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.wire.CborSerializable;
import org.clusterpool.node.worker.Worker;
import org.clusterpool.node.worker.WorkerNode;

/**
 * The messages the coordinator receives, from workers and from clients. They live here, beside the
 * worker, because workers in JVMs without a coordinator send them too.
 */
public final class CoordinatorProtocol {
  private CoordinatorProtocol() {}

  /** The coordinator registers under this key; workers find it through the receptionist. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "clusterpool-coordinator");

  /** Not sealed: the coordinator adds private messages of its own (timers, adapters). */
  public interface Command {}

  // ---- from workers

  /** Messages from worker actors. Credits are grants: how many more batches and async calls the worker takes. */
  public sealed interface FromWorker extends Command, CborSerializable
      permits RequestWork, UnitsDone, WorkerLeaving {}

  /** A worker introduces itself to a (new) coordinator and grants its free capacity. */
  public record RequestWork(
      ActorRef<Worker.Command> worker, ActorRef<WorkerNode.Command> node, WorkerInfo info, int cpuCredit, int asyncCredit)
      implements FromWorker {}

  /** Results of units the worker finished, and the capacity that this frees. */
  public record UnitsDone(ActorRef<Worker.Command> worker, List<UnitResult> results, int cpuCredit, int asyncCredit)
      implements FromWorker {}

  /** The worker stops on purpose (its node leaves): what it held goes back to the queue, and no crash is counted. */
  public record WorkerLeaving(ActorRef<Worker.Command> worker) implements FromWorker {}

  // ---- from clients

  public sealed interface FromClient extends Command, CborSerializable
      permits SubmitJob, AddChunks, CancelJob, GetStatus {}

  /**
   * Starts a job of the named task with its first chunks; {@code last} says no more chunks will follow.
   * Everything about the job goes to {@code replyTo}.
   */
  public record SubmitJob(String jobId, String task, List<Chunk> chunks, boolean last, ActorRef<JobEvent> replyTo)
      implements FromClient {}

  public record AddChunks(String jobId, List<Chunk> chunks, boolean last) implements FromClient {}

  /** Drops the job's queued chunks and asks the workers to stop its running ones. */
  public record CancelJob(String jobId, String reason) implements FromClient {}

  public record GetStatus(ActorRef<ClusterStatus> replyTo) implements FromClient {}
}
