package org.clusterpool.coordinator.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.catalog.TaskNotAllowedException;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.wire.Values;

/**
 * The client side of a {@link ClusterPool}: one actor for all of the pool's jobs. The caller
 * submits a job with its first chunks straight to the coordinator (one hop less for {@code apply});
 * from then on this actor owns the job: it routes results to the job's sink and cuts more chunks
 * while the job's window has room. Nothing is shared with the coordinator but messages.
 *
 * <p>It keeps every chunk until all its results are in. When the coordinator goes and another takes
 * over (a Cluster Singleton moving, a coordinator restarted), it sends the unfinished chunks to the
 * new one: chunks may run twice, but a result that comes twice is kept once. A job it has heard
 * nothing of for {@code clusterpool.job.check-interval} is checked with the coordinator, which says
 * whether it lacks the job or some of its chunks (then they are sent again). With no coordinator,
 * or no answer, for {@code clusterpool.job.coordinator-timeout}, the jobs fail with a {@link
 * CoordinatorLostException}: no job waits without end.
 *
 * <p>Over 400 lines: it is one actor's whole protocol with the coordinator (submit, results,
 * window, checks, sending again after a failover), kept in one place so that its order of events
 * can be read; a job's own state is {@link ClientJob}'s.
 */
final class PoolClient extends AbstractBehavior<PoolClient.Command> {

  sealed interface Command
      permits Consumed,
          BufferStreams,
          Feed,
          Cancel,
          Event,
          Stop,
          CoordinatorsChanged,
          CoordinatorMissing,
          CheckQuietJobs {}

  /** The consumer of a streamed job took a chunk's results: its place in the window is free. */
  record Consumed(String jobId) implements Command, NoSerializationVerificationNeeded {}

  /**
   * The pool is closing: every stream runs to its end, its results kept for its iterator, as
   * Python's {@code imap} after {@code close()}; an iterator nobody reads no longer holds the pool
   * open.
   */
  enum BufferStreams implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  record Cancel(String jobId, String reason)
      implements Command, NoSerializationVerificationNeeded {}

  /** Cut more chunks of the job if its window (and its gather's limit) allows. */
  record Feed(String jobId) implements Command, NoSerializationVerificationNeeded {}

  /** The pool stops; the system is not the pool's own, so only this actor goes. */
  enum Stop implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  private record Event(JobEvent event) implements Command, NoSerializationVerificationNeeded {}

  private record CoordinatorsChanged(Receptionist.Listing listing)
      implements Command, NoSerializationVerificationNeeded {}

  private enum CoordinatorMissing implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  private enum CheckQuietJobs implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /**
   * {@code jobs} holds the jobs in flight: the caller puts a job there before submitting it, and
   * this actor takes it out when the job ends. {@code events} receives the address that job events
   * must go to.
   */
  static Behavior<Command> create(
      ActorRef<CoordinatorProtocol.Command> coordinator,
      PoolSettings settings,
      AtomicInteger workerSlots,
      Map<String, ClientJob<?, ?>> jobs,
      Consumer<ClientJob<?, ?>> jobEnded,
      CompletableFuture<ActorRef<JobEvent>> events) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  events.complete(context.messageAdapter(JobEvent.class, Event::new));
                  return new PoolClient(
                      context,
                      timers,
                      coordinator,
                      settings,
                      workerSlots,
                      jobs,
                      jobEnded,
                      events.join());
                }));
  }

  private final ActorRef<CoordinatorProtocol.Command> coordinator;
  private final PoolSettings settings;
  private final AtomicInteger workerSlots;
  private final Map<String, ClientJob<?, ?>> jobs;
  private final Consumer<ClientJob<?, ?>> jobEnded;
  private final TimerScheduler<Command> timers;
  private final ActorRef<JobEvent> events;

  /** The coordinator instance last seen through the receptionist; null before the first listing. */
  private ActorRef<CoordinatorProtocol.Command> current;

  /** Since when a check of quiet jobs waits for its answer; 0 when none does. */
  private long checkSentNanos;

  private PoolClient(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      PoolSettings settings,
      AtomicInteger workerSlots,
      Map<String, ClientJob<?, ?>> jobs,
      Consumer<ClientJob<?, ?>> jobEnded,
      ActorRef<JobEvent> events) {
    super(context);
    this.timers = timers;
    this.coordinator = coordinator;
    this.settings = settings;
    this.workerSlots = workerSlots;
    this.jobs = jobs;
    this.jobEnded = jobEnded;
    this.events = events;
    context
        .getSystem()
        .receptionist()
        .tell(
            Receptionist.subscribe(
                CoordinatorProtocol.SERVICE_KEY,
                context.messageAdapter(Receptionist.Listing.class, CoordinatorsChanged::new)));
    timers.startTimerWithFixedDelay(CheckQuietJobs.INSTANCE, settings.checkInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, this::onEvent)
        .onMessage(Consumed.class, this::onConsumed)
        .onMessageEquals(BufferStreams.INSTANCE, this::onBufferStreams)
        .onMessage(Feed.class, this::onFeed)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(CoordinatorsChanged.class, this::onCoordinatorsChanged)
        .onMessageEquals(CoordinatorMissing.INSTANCE, this::onCoordinatorMissing)
        .onMessageEquals(CheckQuietJobs.INSTANCE, this::onCheckQuietJobs)
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Command> onCoordinatorsChanged(CoordinatorsChanged changed) {
    Set<ActorRef<CoordinatorProtocol.Command>> coordinators =
        changed.listing().getServiceInstances(CoordinatorProtocol.SERVICE_KEY);
    if (coordinators.isEmpty()) {
      if (!timers.isTimerActive(CoordinatorMissing.INSTANCE)) {
        timers.startSingleTimer(CoordinatorMissing.INSTANCE, settings.coordinatorTimeout());
      }
      return this;
    }
    timers.cancel(CoordinatorMissing.INSTANCE);
    ActorRef<CoordinatorProtocol.Command> next = coordinators.iterator().next();
    if (current != null && !coordinators.contains(current)) {
      checkSentNanos = 0; // a new coordinator: a check waits for it afresh
      getContext()
          .getLog()
          .warn(
              "the coordinator moved to {}: sending {} unfinished jobs again",
              next.path(),
              jobs.size());
      for (ClientJob<?, ?> job : jobs.values()) resubmit(job);
    }
    current = next;
    return this;
  }

  /**
   * The coordinator lacks the job, or some of its chunks: it gets the chunks that still miss
   * results (it adds those it lacks), in messages under the budget, and the rest as usual.
   */
  private void resubmit(ClientJob<?, ?> job) {
    List<List<Chunk>> messages = job.unfinishedChunks(settings);
    for (int i = 0; i < messages.size(); i++) {
      boolean last = i == messages.size() - 1 && job.lastSent;
      coordinator.tell(
          new CoordinatorProtocol.SubmitJob(
              job.jobId, job.signature, messages.get(i), last, events));
    }
  }

  private Behavior<Command> onCoordinatorMissing() {
    failAll(new CoordinatorLostException(settings.coordinatorTimeout()));
    return this;
  }

  private void failAll(RuntimeException error) {
    for (ClientJob<?, ?> job : List.copyOf(jobs.values())) {
      job.fail(error);
      end(job);
    }
  }

  /**
   * Jobs quiet for a check interval are checked with the coordinator; a check unanswered for the
   * coordinator timeout means the coordinator is listed but does not answer (unreachable, stuck):
   * the jobs fail rather than wait.
   */
  private Behavior<Command> onCheckQuietJobs() {
    long now = System.nanoTime();
    if (checkSentNanos != 0
        && now - checkSentNanos > settings.coordinatorTimeout().toNanos()
        && !jobs.isEmpty()) {
      getContext()
          .getLog()
          .warn(
              "the coordinator has not answered a check of {} jobs for {} s: they fail",
              jobs.size(),
              settings.coordinatorTimeout().toSeconds());
      failAll(new CoordinatorLostException(settings.coordinatorTimeout(), jobs.size()));
      checkSentNanos = 0;
      return this;
    }
    // a check unanswered is sent again each interval: it may have gone to a coordinator that died
    // on the way
    List<CoordinatorProtocol.JobCheck> quiet = new ArrayList<>();
    long bytes = 0;
    for (ClientJob<?, ?> job : jobs.values()) {
      if (now - job.lastHeardNanos < settings.checkInterval().toNanos()) continue;
      long size = MessageBudget.text(job.jobId) + 32;
      if (!settings.budget().fits(bytes, size)) {
        coordinator.tell(new CoordinatorProtocol.CheckJobs(quiet, events));
        quiet = new ArrayList<>();
        bytes = 0;
      }
      quiet.add(new CoordinatorProtocol.JobCheck(job.jobId, job.chunksSent, job.lastSent));
      bytes += size;
    }
    if (quiet.isEmpty()) {
      checkSentNanos = 0;
      return this;
    }
    coordinator.tell(new CoordinatorProtocol.CheckJobs(quiet, events));
    if (checkSentNanos == 0) checkSentNanos = now;
    return this;
  }

  private void onJobsChecked(JobEvent.JobsChecked checked) {
    checkSentNanos = 0;
    long now = System.nanoTime();
    for (ClientJob<?, ?> job : jobs.values()) {
      if (now - job.lastHeardNanos >= settings.checkInterval().toNanos())
        job.lastHeardNanos = now; // the coordinator answered
    }
    List<String> lacking = new ArrayList<>(checked.unknown());
    lacking.addAll(checked.missingChunks());
    for (String jobId : lacking) {
      ClientJob<?, ?> job = jobs.get(jobId);
      if (job == null || job.finished) continue;
      getContext()
          .getLog()
          .warn(
              "the coordinator lacks job {} or some of its chunks: sending its unfinished chunks"
                  + " again",
              jobId);
      resubmit(job);
    }
  }

  /** Sends new chunks while the window has room. */
  private void feed(ClientJob<?, ?> job) {
    if (job.finished) return;
    deliverRefused(job);
    if (job.finished) return;
    // the input itself failing (a lazy iterator threw, an input did not validate) ends the input:
    // the job fails with it once the inputs before it have their results
    List<Chunk> chunks = job.nextChunks(settings, workerSlots.get());
    boolean last = job.inputExhausted();
    if (!chunks.isEmpty() || (last && !job.lastSent)) {
      job.lastSent = last;
      coordinator.tell(new CoordinatorProtocol.AddChunks(job.jobId, chunks, last));
    }
    // a full message may leave room in the window: go on in the next turn, letting results in
    // between
    if (chunks.size() >= settings.chunksPerMessage())
      getContext().getSelf().tell(new Feed(job.jobId));
    if (job.allAnswered()) end(job);
  }

  /**
   * Calls the job's listener, the user's code: one that throws fails its own job, with what it
   * threw. This actor serves every job of the pool: stopped by it, it left them all waiting for
   * ever.
   */
  private static void tell(ClientJob<?, ?> job, Consumer<JobListener> call) {
    try {
      call.accept(job.listener);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      job.fail(
          e instanceof RuntimeException
              ? e
              : new IllegalStateException("the job's listener threw " + e, e));
    }
  }

  /** Inputs too large to send failed when they were cut: their errors go out as results. */
  private void deliverRefused(ClientJob<?, ?> job) {
    while (!job.refused.isEmpty() && !job.finished) onPartDone(job, job.refused.remove(0));
  }

  private Behavior<Command> onEvent(Event wrapped) {
    JobEvent event = wrapped.event();
    if (event instanceof JobEvent.PartsDone done) {
      workerSlots.set(done.workerSlots());
      for (JobEvent.PartDone part : done.parts()) {
        ClientJob<?, ?> job = jobs.get(part.jobId());
        if (job != null) {
          job.lastHeardNanos = System.nanoTime();
          onPartDone(job, part);
        } // else the job ended: a late word about it
      }
    } else if (event instanceof JobEvent.ChunkRetried retried) {
      ClientJob<?, ?> job = jobs.get(retried.jobId());
      if (job == null) return this;
      job.lastHeardNanos = System.nanoTime();
      tell(job, l -> l.chunkRetried(job.jobId, retried.seq(), retried.size(), retried.reason()));
      if (job.failure() != null) end(job);
    } else if (event instanceof JobEvent.JobRejected rejected) {
      ClientJob<?, ?> job = jobs.get(rejected.jobId());
      if (job == null) return this;
      job.fail(
          switch (rejected.kind()) {
            case JobEvent.JobRejected.TASK_UNAVAILABLE ->
                new TaskUnavailableException(rejected.reason());
            case JobEvent.JobRejected.TASK_NOT_ALLOWED ->
                new TaskNotAllowedException(rejected.reason());
            default -> new IllegalArgumentException(rejected.reason());
          });
      end(job);
    } else if (event instanceof JobEvent.JobFailed failed) {
      ClientJob<?, ?> job = jobs.get(failed.jobId());
      if (job == null) return this;
      job.fail(
          "NoWorkers".equals(failed.kind())
              ? new NoWorkersException(failed.cause())
              : new IllegalStateException(failed.cause()));
      end(job);
    } else if (event instanceof JobEvent.JobsChecked checked) {
      onJobsChecked(checked);
    }
    return this;
  }

  private <O> void onPartDone(ClientJob<?, O> job, JobEvent.PartDone done) {
    ChunkRecord chunk = job.chunks.get(done.seq());
    if (chunk == null) return; // all of the chunk's results are in: this one came twice
    int n = done.outputs().size();
    job.sizer.recordCost(done.nanos(), n);
    for (int[] range : chunk.claim(done.offset(), n)) {
      int from = range[0] - done.offset();
      int to = range[1] - done.offset();
      boolean all = from == 0 && to == n;
      Values outputs = all ? done.outputs() : done.outputs().slice(from, to);
      List<ElementError> errors = all ? done.errors() : errorsWithin(done.errors(), from, to);
      job.sink.onPart(job, chunk, range[0], outputs, errors, done.worker());
      chunk.remaining -= to - from;
      job.done += to - from;
    }
    tell(job, l -> l.progress(job.jobId, job.done, job.total));
    if (job.failure() != null) {
      end(job);
      return;
    }
    if (chunk.remaining <= 0) {
      job.chunks.remove(done.seq());
      job.sink.onChunkComplete(job, chunk);
      if (job.limit != null) {
        job.limit.release(1);
        for (ClientJob<?, ?> sharing : job.limit.jobs()) {
          if (sharing != job) feed(sharing);
        }
      }
      if (job.sink.freesWindowOnCompletion() || job.buffered) {
        job.inWindow--;
        feed(job);
      } else {
        job.awaitingConsumer++;
        if (job.allAnswered()) end(job);
      }
    }
  }

  /** The errors among inputs {@code from .. to} of a part, numbered from {@code from}. */
  private static List<ElementError> errorsWithin(List<ElementError> errors, int from, int to) {
    List<ElementError> out = new ArrayList<>();
    for (ElementError e : errors) {
      if (e.index() >= from && e.index() < to)
        out.add(new ElementError(e.index() - from, e.error()));
    }
    return out;
  }

  private Behavior<Command> onConsumed(Consumed consumed) {
    ClientJob<?, ?> job = jobs.get(consumed.jobId());
    if (job != null && !job.buffered) { // a buffered job freed that chunk's place already
      job.awaitingConsumer--;
      job.inWindow--;
      feed(job);
    }
    return this;
  }

  /**
   * Each stream's chunks that wait for their consumer free their place now, and every chunk from
   * now on as soon as its results are in: the job runs to its end, its results queued for the
   * iterator (see {@link StreamedResults}). Sent again for a job started while the pool closed.
   */
  private Behavior<Command> onBufferStreams() {
    for (ClientJob<?, ?> job : List.copyOf(jobs.values())) {
      if (job.sink.freesWindowOnCompletion() || job.buffered) continue;
      job.buffered = true;
      job.inWindow -= job.awaitingConsumer;
      job.awaitingConsumer = 0;
      feed(job);
    }
    return this;
  }

  private Behavior<Command> onFeed(Feed request) {
    ClientJob<?, ?> job = jobs.get(request.jobId());
    if (job != null) feed(job);
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

  /**
   * The job is over: all answered, failed, or cancelled. A job that did not finish is cancelled at
   * the coordinator.
   */
  private void end(ClientJob<?, ?> job) {
    if (job.finished) return;
    job.finished = true;
    jobs.remove(job.jobId);
    if (job.failure() == null && job.inputFailureDue() != null) job.fail(job.inputFailureDue());
    if (job.limit != null) {
      job.limit.release(job.chunks.size());
      job.limit.leave(job);
      for (ClientJob<?, ?> sharing : job.limit.jobs()) feed(sharing);
    }
    if (job.failure() != null) {
      coordinator.tell(
          new CoordinatorProtocol.CancelJob(job.jobId, String.valueOf(job.failure().getMessage())));
      job.sink.onFailure(job.failure());
    } else {
      complete(job);
    }
    jobEnded.accept(job);
  }

  private static <O> void complete(ClientJob<?, O> job) {
    job.sink.onComplete(job);
  }
}
