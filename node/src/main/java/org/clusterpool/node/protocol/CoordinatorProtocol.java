package org.clusterpool.node.protocol;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.wire.CborSerializable;
import org.clusterpool.node.wire.Values;

/**
 * The messages the coordinator receives, from workers and from clients. They live here, beside the
 * worker side's {@link WorkerProtocol}, because workers in JVMs without a coordinator send them
 * too.
 *
 * <p>The coordinator trusts none of them: it checks that every field is there, that a worker
 * reports only units it holds and that the counts match; a message that fails a check is dropped
 * and logged.
 */
public final class CoordinatorProtocol {
  private CoordinatorProtocol() {}

  /**
   * The coordinator registers under this key; workers and clients find it through the receptionist.
   */
  public static final ServiceKey<Command> SERVICE_KEY =
      ServiceKey.create(Command.class, "clusterpool-coordinator");

  /** Not sealed: the coordinator adds private messages of its own (timers, adapters). */
  public interface Command {}

  // ---- from workers

  public sealed interface FromWorker extends Command, CborSerializable
      permits WorkerReport, UnitsDone, WorkerLeaving, NodeCatalog {}

  /**
   * What a worker can take and what it holds: sent when it meets a (new) coordinator, when it sees
   * an assignment missing, when asked, and now and then while it idles. Capacity is state, not a
   * grant: the coordinator sets it and counts the worker's credit as capacity minus the batches it
   * sent that are not answered, so a report that comes twice or after a reachability blip cannot
   * inflate it.
   *
   * @param reportSeq numbers this worker's reports, so an old one never overrides a newer
   * @param incarnation the coordinator incarnation whose assignments {@code lastAssignSeq} counts
   *     (0: none yet)
   * @param lastAssignSeq the last assignment the worker has taken from its mailbox
   * @param heldUnits the units it holds now (async calls in flight), when {@code heldComplete}; the
   *     coordinator runs again those it sent up to {@code lastAssignSeq} that are neither held nor
   *     answered: their answer was lost
   */
  public record WorkerReport(
      ActorRef<WorkerProtocol.Command> worker,
      ActorRef<WorkerProtocol.NodeCommand> node,
      WorkerInfo info,
      long reportSeq,
      int cpuCapacity,
      int asyncCapacity,
      long incarnation,
      long lastAssignSeq,
      Values heldUnits,
      boolean heldComplete)
      implements FromWorker {}

  /**
   * Results of units (or pieces of units) the worker finished. {@code seq} numbers this worker's
   * result messages to one incarnation from 1, so that the coordinator sees one go missing.
   */
  public record UnitsDone(
      ActorRef<WorkerProtocol.Command> worker, long incarnation, long seq, List<UnitResult> results)
      implements FromWorker {}

  /**
   * The worker's node leaves, and with it the worker: what it held goes back to the queue. On
   * purpose ({@code crash} empty: the cluster told it to leave, or a signal stopped its JVM), no
   * crash is counted; when its JVM exits because code in it called {@code System.exit} (a task, or
   * the handler of a fatal error such as an {@code OutOfMemoryError}), {@code crash} says so, and
   * the units it held are charged as for a JVM that died, so that one input that ends its JVM fails
   * alone instead of ending JVM after JVM.
   */
  public record WorkerLeaving(ActorRef<WorkerProtocol.Command> worker, String crash)
      implements FromWorker {
    public WorkerLeaving {
      crash = crash == null ? "" : crash;
    }
  }

  /**
   * What a worker node can run: the tasks of its JVM, each by its {@link TaskSignature}. The node
   * sends it (its workers do not: the catalog is the JVM's) when it meets a coordinator, when asked
   * ({@link WorkerProtocol.SendCatalog}) and when it changes (a pool of its JVM registered a task
   * object), in as many parts as the message budget needs. The coordinator gives a node's workers
   * no work until it has the node's whole catalog, and then only work whose task the catalog holds.
   *
   * @param version numbers the node's catalogs: the parts of one catalog share it, and a newer one
   *     replaces an older
   * @param part this part's number, from 0, of {@code parts}
   */
  public record NodeCatalog(
      ActorRef<WorkerProtocol.NodeCommand> node,
      String address,
      long version,
      int part,
      int parts,
      List<TaskSignature> tasks)
      implements FromWorker {}

  // ---- from clients

  public sealed interface FromClient extends Command, CborSerializable
      permits SubmitJob, AddChunks, CancelJob, GetStatus, CheckJobs {}

  /**
   * Starts a job of the task with its first chunks; {@code last} says no more chunks will follow.
   * Everything about the job goes to {@code replyTo}. The task is named with the version the client
   * means ({@link TaskSignature}): the job runs only on nodes that have that very version, and is
   * refused at once when every node is known and none has it. Sent again for a job the coordinator
   * knows, it adds the chunks it lacks: that is how a client sends its unfinished chunks to a
   * coordinator that lost them.
   */
  public record SubmitJob(
      String jobId,
      TaskSignature task,
      List<Chunk> chunks,
      boolean last,
      ActorRef<JobEvent> replyTo)
      implements FromClient {}

  public record AddChunks(String jobId, List<Chunk> chunks, boolean last) implements FromClient {}

  /** Drops the job's queued chunks and asks the workers to stop its running ones. */
  public record CancelJob(String jobId, String reason) implements FromClient {}

  public record GetStatus(ActorRef<ClusterStatus> replyTo) implements FromClient {}

  /**
   * A client that has heard nothing of its jobs for a while asks whether the coordinator still has
   * them all; the answer ({@link JobEvent.JobsChecked}) goes to {@code replyTo}. No answer at all
   * means the coordinator is gone.
   */
  public record CheckJobs(List<JobCheck> jobs, ActorRef<JobEvent> replyTo) implements FromClient {}

  /**
   * The chunk spans the coordinator recorded after {@code afterSeq} (0: all it keeps), at most
   * {@code max} (and at most {@link Activity#MAX_SPANS}, and what one message carries): see {@link
   * Activity}.
   */
  public record GetActivity(long afterSeq, int max, ActorRef<Activity> replyTo)
      implements Command, CborSerializable {}

  /**
   * One job of a {@link CheckJobs}: how many distinct chunks the client sent, and whether the last
   * was among them.
   */
  public record JobCheck(String jobId, long chunksSent, boolean lastSent) {}
}
