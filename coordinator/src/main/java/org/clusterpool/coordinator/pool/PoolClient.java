package org.clusterpool.coordinator.pool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.JobEvent;

/**
 * The client side of a {@link ClusterPool}: one actor for all of the pool's jobs. It cuts each job's
 * input into chunks while the job's window has room, sends them to the coordinator, and routes results
 * to each job's sink. Nothing is shared with the coordinator but these messages.
 */
final class PoolClient extends AbstractBehavior<PoolClient.Command> {

  sealed interface Command permits Start, Consumed, Cancel, Event, Stop {}

  /** Runs a job; from here on the job object belongs to this actor. */
  record Start(ClientJob<?, ?> job) implements Command, NoSerializationVerificationNeeded {}

  /** The consumer of a streamed job took a chunk's results: its place in the window is free. */
  record Consumed(String jobId) implements Command, NoSerializationVerificationNeeded {}

  record Cancel(String jobId, String reason) implements Command, NoSerializationVerificationNeeded {}

  /** The pool stops; the system is not the pool's own, so only this actor goes. */
  enum Stop implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  private record Event(JobEvent event) implements Command, NoSerializationVerificationNeeded {}

  static Behavior<Command> create(
      ActorRef<CoordinatorProtocol.Command> coordinator, PoolSettings settings, AtomicInteger workerSlots, Consumer<String> jobEnded) {
    return Behaviors.setup(context -> new PoolClient(context, coordinator, settings, workerSlots, jobEnded));
  }

  private final ActorRef<CoordinatorProtocol.Command> coordinator;
  private final PoolSettings settings;
  private final AtomicInteger workerSlots;
  private final Consumer<String> jobEnded;
  private final ActorRef<JobEvent> events;
  private final Map<String, ClientJob<?, ?>> jobs = new HashMap<>();

  private PoolClient(
      ActorContext<Command> context,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      PoolSettings settings,
      AtomicInteger workerSlots,
      Consumer<String> jobEnded) {
    super(context);
    this.coordinator = coordinator;
    this.settings = settings;
    this.workerSlots = workerSlots;
    this.jobEnded = jobEnded;
    this.events = context.messageAdapter(JobEvent.class, Event::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, this::onEvent)
        .onMessage(Start.class, this::onStart)
        .onMessage(Consumed.class, this::onConsumed)
        .onMessage(Cancel.class, this::onCancel)
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Command> onStart(Start start) {
    ClientJob<?, ?> job = start.job();
    jobs.put(job.jobId, job);
    feed(job);
    return this;
  }

  /** Sends new chunks while the window has room; the first ones go with the job itself. */
  private void feed(ClientJob<?, ?> job) {
    if (job.finished) return;
    List<Chunk> chunks;
    try {
      chunks = job.nextChunks(settings, workerSlots.get());
    } catch (RuntimeException e) {
      // the input itself failed: a lazy iterator threw, or an input did not validate
      job.fail(e);
      end(job);
      return;
    }
    boolean last = job.inputExhausted();
    if (!job.submitted) {
      job.submitted = true;
      job.lastSent = last;
      coordinator.tell(new CoordinatorProtocol.SubmitJob(job.jobId, job.task.name(), chunks, last, events));
    } else if (!chunks.isEmpty() || (last && !job.lastSent)) {
      job.lastSent = last;
      coordinator.tell(new CoordinatorProtocol.AddChunks(job.jobId, chunks, last));
    }
    if (job.allAnswered()) end(job);
  }

  private Behavior<Command> onEvent(Event wrapped) {
    JobEvent event = wrapped.event();
    ClientJob<?, ?> job = jobs.get(event.jobId());
    if (job == null) return this; // the job ended: a late or duplicate word about it
    if (event instanceof JobEvent.PartDone done) {
      onPartDone(job, done);
    } else if (event instanceof JobEvent.JobAccepted accepted) {
      workerSlots.set(accepted.workerSlots());
    } else if (event instanceof JobEvent.ChunkRetried retried) {
      job.retries.add("chunk " + retried.seq() + " ran again: " + retried.reason());
      job.listener.chunkRetried(job.jobId, retried.seq(), retried.size(), retried.reason());
    } else if (event instanceof JobEvent.JobRejected rejected) {
      job.fail(new IllegalArgumentException(rejected.reason()));
      end(job);
    }
    return this;
  }

  private <O> void onPartDone(ClientJob<?, O> job, JobEvent.PartDone done) {
    ChunkRecord chunk = job.chunks.get(done.seq());
    if (chunk == null) return;
    int n = done.outputs().size();
    job.sizer.recordCost(done.nanos(), n);
    job.sink.onPart(job, chunk, done.offset(), done.outputs(), done.errors());
    chunk.remaining -= n;
    job.done += n;
    job.listener.progress(job.jobId, job.done, job.total);
    if (job.failure() != null) {
      end(job);
      return;
    }
    if (chunk.remaining <= 0) {
      job.chunks.remove(done.seq());
      job.sink.onChunkComplete(job, chunk);
      if (job.sink.freesWindowOnCompletion()) {
        job.inWindow--;
        feed(job);
      } else if (job.allAnswered()) {
        end(job);
      }
    }
  }

  private Behavior<Command> onConsumed(Consumed consumed) {
    ClientJob<?, ?> job = jobs.get(consumed.jobId());
    if (job != null) {
      job.inWindow--;
      feed(job);
    }
    return this;
  }

  private Behavior<Command> onCancel(Cancel cancel) {
    ClientJob<?, ?> job = jobs.get(cancel.jobId());
    if (job != null) {
      job.fail(new CancellationException(cancel.reason()));
      end(job);
    }
    return this;
  }

  /** The job is over: all answered, failed, or cancelled. A job that did not finish is cancelled at the coordinator. */
  private void end(ClientJob<?, ?> job) {
    if (job.finished) return;
    job.finished = true;
    jobs.remove(job.jobId);
    if (job.failure() != null) {
      if (job.submitted) coordinator.tell(new CoordinatorProtocol.CancelJob(job.jobId, job.failure().getMessage()));
      job.sink.onFailure(job.failure());
    } else {
      complete(job);
    }
    jobEnded.accept(job.jobId);
  }

  private static <O> void complete(ClientJob<?, O> job) {
    job.sink.onComplete(job);
  }
}
