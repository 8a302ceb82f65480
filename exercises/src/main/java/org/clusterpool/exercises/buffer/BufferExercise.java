package org.clusterpool.exercises.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusterpool.exercises.Exercise;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Workload;
import org.clusterpool.exercises.report.Figures;
import org.clusterpool.exercises.report.Findings;

/**
 * {@code buffer}: producers and consumers through a bounded buffer, with a monitor, a library
 * queue, an actor, clusterpool's queue.
 */
public final class BufferExercise implements Exercise<BoundedBuffer, BufferParameters> {

  static final String WAIT_NOTIFY = "wait-notify";
  static final String ARRAY_BLOCKING_QUEUE = "array-blocking-queue";
  static final String BUFFER_ACTOR = "buffer-actor";
  static final String CLUSTERPOOL_QUEUE = "clusterpool-queue";

  private static final List<String> LOCKS = List.of(WAIT_NOTIFY, ARRAY_BLOCKING_QUEUE);

  /**
   * One line per implementation: another buffer (a queue across JVMs) is one class and one line
   * here.
   */
  private static final List<Implementation<BoundedBuffer>> REFERENCES =
      List.of(
          Implementation.reference(
              WAIT_NOTIFY,
              "a ring under synchronized, wait() in a loop, notifyAll()",
              WaitNotifyBuffer::new),
          Implementation.reference(
              ARRAY_BLOCKING_QUEUE,
              "java.util.concurrent: one lock, two conditions",
              ArrayBlockingQueueBuffer::new),
          Implementation.reference(
              BUFFER_ACTOR,
              "an actor holds the items; a put is answered when there is room",
              BufferActorBuffer::new),
          Implementation.reference(
              CLUSTERPOOL_QUEUE,
              "clusterpool's DistributedQueue(maxsize): the same queue that works across JVMs",
              ClusterpoolQueueBuffer::new));

  @Override
  public String name() {
    return "buffer";
  }

  @Override
  public String summary() {
    return "producers and consumers through a bounded buffer: wait/notify, ArrayBlockingQueue, an"
        + " actor with backpressure, clusterpool's queue";
  }

  @Override
  public Class<BoundedBuffer> solutionType() {
    return BoundedBuffer.class;
  }

  @Override
  public List<Implementation<BoundedBuffer>> references() {
    return REFERENCES;
  }

  @Override
  public Workload<BoundedBuffer, ?> workload(BufferParameters parameters) {
    return new BufferWorkload(parameters);
  }

  @Override
  public BufferParameters warmUp(BufferParameters parameters) {
    return new BufferParameters(
        parameters.producers(),
        parameters.consumers(),
        Math.max(1, Math.min(parameters.items() / 10, 20_000)),
        parameters.capacity());
  }

  @Override
  public String describe(BufferParameters parameters) {
    return parameters.producers()
        + " producers, "
        + parameters.consumers()
        + " consumers, "
        + Figures.count(parameters.items(), "items")
        + " through a buffer of "
        + Figures.count(parameters.capacity())
        + " (an operation is one item delivered)";
  }

  @Override
  public List<String> findings(BufferParameters parameters, List<Measurement> rows) {
    List<String> lines = new ArrayList<>();
    Optional<Measurement> monitor = Findings.correct(rows, WAIT_NOTIFY);
    Optional<Measurement> library = Findings.correct(rows, ARRAY_BLOCKING_QUEUE);
    if (monitor.isPresent() && library.isPresent()) {
      Findings.Speed speed = Findings.speed(library.get(), monitor.get());
      boolean faster = speed == Findings.Speed.FASTER;
      lines.add(
          ARRAY_BLOCKING_QUEUE
              + " was "
              + Findings.relative(library.get(), monitor.get())
              + (speed == Findings.Speed.UNTOLD
                  ? "."
                  : faster
                      ? ": its two conditions wake only a thread that can go on, where notifyAll"
                          + " wakes every waiter, producers and consumers alike, and most go back"
                          + " to sleep."
                      : ": with this few threads, waking every waiter costs little."));
    }
    Optional<Measurement> actor = Findings.correct(rows, BUFFER_ACTOR);
    Optional<Measurement> bestLock = Findings.fastestCorrect(rows, LOCKS);
    if (actor.isPresent() && bestLock.isPresent()) {
      lines.add(
          BUFFER_ACTOR
              + " was "
              + Findings.relative(actor.get(), bestLock.get())
              + ": every put and every take is a round trip to one actor. Its memory stays bounded"
              + " the same way: a producer waits for the answer to its put before it sends"
              + " another.");
    }
    return lines;
  }
}
