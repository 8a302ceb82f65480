package org.clusterpool.coordinator.pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * One job as its client sees it: where its inputs come from, the chunks sent and not yet answered,
 * and where the results go. The caller cuts its first chunks; once submitted, it belongs to {@link
 * PoolClient}.
 */
final class ClientJob<I, O> {
  final String jobId;
  final Task<I, O> task;

  /**
   * The task as the coordinator is told: the job runs only on nodes that have this version of it.
   */
  final TaskSignature signature;

  /**
   * Whether the task object was registered with this JVM's node for the job: it is given back when
   * the job ends.
   */
  final boolean registered;

  final InputSource<I> source;
  final ChunkSizer sizer;
  final ResultSink<O> sink;
  final JobListener listener;
  final long total;

  /** Shared by the jobs of one gather with a limit: a chunk may start only with a permit. */
  final CallLimit limit;

  final long startNanos = System.nanoTime();

  final Map<Long, ChunkRecord> chunks = new HashMap<>();
  private long nextSeq;
  private long nextIndex;

  /** Chunks sent and not yet released (see {@link ResultSink#freesWindowOnCompletion()}). */
  int inWindow;

  /**
   * A stream's chunks that have all their results and hold their place in the window until the
   * consumer takes them.
   */
  int awaitingConsumer;

  /**
   * A stream of a closing pool: its chunks free their place as soon as their results are in, which
   * are kept for the iterator, so that the job runs to its end whether or not anyone reads it.
   */
  boolean buffered;

  long done;
  boolean lastSent;
  boolean finished;

  /**
   * Distinct chunks sent to the coordinator: what a check of the job compares with what it
   * received.
   */
  long chunksSent;

  /**
   * When the client last heard anything of this job; a job quiet for long is checked with the
   * coordinator.
   */
  long lastHeardNanos = System.nanoTime();

  /** Inputs too large to send, failed here; the client actor delivers them as results. */
  final List<JobEvent.PartDone> refused = new ArrayList<>();

  private Throwable failure;

  /**
   * What the input itself threw (a lazy iterator, an input that did not validate) once the inputs
   * before it were sent: the job ends with it when their results are in, as Python's {@code imap}
   * gives the results before the failing input and then raises.
   */
  private RuntimeException inputFailure;

  ClientJob(
      String jobId,
      Task<I, O> task,
      TaskSignature signature,
      boolean registered,
      InputSource<I> source,
      ChunkSizer sizer,
      ResultSink<O> sink,
      JobListener listener,
      CallLimit limit) {
    this.jobId = jobId;
    this.limit = limit;
    this.task = task;
    this.signature = signature;
    this.registered = registered;
    this.source = source;
    this.sizer = sizer;
    this.sink = sink;
    this.listener = listener;
    this.total = source.remaining();
  }

  /**
   * Cuts new chunks until the window is full, the input ends, or there are enough for one message:
   * at most {@code chunks-per-message}, and no more bytes than a message carries. The caller sends
   * them.
   */
  List<Chunk> nextChunks(PoolSettings settings, int workerSlots) {
    List<Chunk> out = new ArrayList<>();
    long bytes = 0;
    while (source.ready()
        && out.size() < settings.chunksPerMessage()
        && settings.budget().fits(bytes, settings.maxChunkBytes() + PoolSettings.CHUNK_ROOM)) {
      int size = sizer.next(source.remaining(), workerSlots);
      if (inWindow >= settings.window(workerSlots, task.kind(), size)) break;
      if (limit != null && !limit.tryAcquire()) break;
      Values inputs;
      try {
        inputs = source.next(size);
      } catch (InputSource.TooLarge tooLarge) {
        refuse(tooLarge);
        continue;
      } catch (RuntimeException e) {
        if (limit != null) limit.release(1);
        inputFailure = e;
        break;
      }
      if (inputs.size() == 0) {
        if (limit != null) limit.release(1);
        break;
      }
      Chunk chunk = new Chunk(nextSeq++, nextIndex, inputs);
      nextIndex += inputs.size();
      chunks.put(chunk.seq(), new ChunkRecord(chunk, true));
      inWindow++;
      out.add(chunk);
      bytes += MessageBudget.of(chunk);
    }
    chunksSent += out.size();
    return out;
  }

  /**
   * The chunks sent that still lack results, in order, cut into messages under the budget: what a
   * coordinator that lost the job (a new one, or one that never got a message) is sent again.
   */
  List<List<Chunk>> unfinishedChunks(PoolSettings settings) {
    List<Chunk> unfinished = new ArrayList<>();
    for (ChunkRecord record : chunks.values()) {
      if (record.sent) unfinished.add(record.chunk);
    }
    unfinished.sort(java.util.Comparator.comparingLong(Chunk::seq));
    List<List<Chunk>> messages = new ArrayList<>();
    List<Chunk> message = new ArrayList<>();
    long bytes = 0;
    for (Chunk chunk : unfinished) {
      long size = MessageBudget.of(chunk);
      if (!message.isEmpty()
          && (message.size() >= settings.chunksPerMessage()
              || !settings.budget().fits(bytes, size))) {
        messages.add(message);
        message = new ArrayList<>();
        bytes = 0;
      }
      message.add(chunk);
      bytes += size;
    }
    messages.add(message);
    return messages;
  }

  /** The input becomes a chunk of its own that never leaves: its one result is the error. */
  private void refuse(InputSource.TooLarge tooLarge) {
    Chunk chunk = new Chunk(nextSeq++, nextIndex, tooLarge.input);
    nextIndex++;
    chunks.put(chunk.seq(), new ChunkRecord(chunk, false));
    inWindow++;
    RemoteError error = RemoteError.of("MessageTooLarge", tooLarge.getMessage(), "client");
    refused.add(
        new JobEvent.PartDone(
            jobId, chunk.seq(), 0, tooLarge.input, List.of(new ElementError(0, error)), "", 0));
  }

  boolean inputExhausted() {
    return inputFailure != null || source.exhausted();
  }

  boolean allAnswered() {
    return inputExhausted() && chunks.isEmpty();
  }

  /**
   * The input's own failure, once every input before it has its result: what the job then ends
   * with; null while results are due, or when the input did not fail.
   */
  RuntimeException inputFailureDue() {
    return chunks.isEmpty() ? inputFailure : null;
  }

  /** Marks the job failed; the client then cancels what is left of it. */
  void fail(Throwable error) {
    if (failure == null) failure = error;
  }

  Throwable failure() {
    return failure;
  }

  /** The error for the input at {@code index} of the chunk, naming the input. */
  TaskFailedException failure(ChunkRecord chunk, int index, RemoteError error) {
    String input;
    try {
      input = task.inputType().format(task.inputType().decode(chunk.chunk.inputs(), index));
    } catch (RuntimeException e) {
      input = "#" + (chunk.firstIndex() + index);
    }
    return new TaskFailedException(task.name(), chunk.firstIndex() + index, input, error);
  }
}
