package org.clusterpool.node.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * Runs a cpu unit on the calling thread, input by input. A failing input is recorded and the next
 * one runs: one bad input never costs the others their results, nor the worker its life.
 */
final class UnitRunner {
  private UnitRunner() {}

  /** How many inputs of a unit run between two looks at the job's cancellation. */
  private static final int CANCEL_CHECK_MASK = 1023;

  /**
   * The unit's result, or {@code null} when its job was cancelled while it ran. Outputs that reach
   * {@code pieceBytes} while it runs go to {@code pieces} at once, as a piece of the unit, and the
   * result returned is the rest: a unit of large results never holds them all (a worker's heap
   * holds a piece, not a chunk), and they reach the caller while the unit runs.
   */
  static UnitResult run(
      CpuTask<?, ?> task,
      WorkUnit unit,
      WorkerContext context,
      String where,
      long pieceBytes,
      Consumer<UnitResult> pieces) {
    if (task instanceof LongTask longTask
        && task.outputType() == ValueTypes.LONG
        && isLongColumn(unit.inputs())) {
      long start = System.nanoTime();
      List<ElementError> errors = new ArrayList<>(0);
      Values outputs = runLongs(longTask, unit, context, errors, where);
      if (outputs == null) return null;
      return UnitResult.whole(
          unit.unitId(), unit.jobId(), outputs, List.copyOf(errors), System.nanoTime() - start);
    }
    return runGeneric(task, unit, context, where, pieceBytes, pieces);
  }

  private static boolean isLongColumn(Values values) {
    return values instanceof Values.LongRange || values instanceof Values.Longs;
  }

  private static Values runLongs(
      LongTask task,
      WorkUnit unit,
      WorkerContext context,
      List<ElementError> errors,
      String where) {
    Values inputs = unit.inputs();
    int n = inputs.size();
    long[] out = new long[n];
    long[] in = inputs instanceof Values.Longs l ? l.values() : null;
    long start = inputs instanceof Values.LongRange r ? r.start() : 0;
    for (int i = 0; i < n; i++) {
      if ((i & CANCEL_CHECK_MASK) == CANCEL_CHECK_MASK && context.isCancelled()) return null;
      context.moveTo(unit.firstIndex() + i);
      long x = in != null ? in[i] : start + i;
      try {
        out[i] = task.applyAsLong(x, context);
      } catch (Throwable t) {
        rethrowIfFatal(t, context.hostsCoordinator());
        errors.add(new ElementError(i, RemoteError.of(t, where)));
      }
      clearInterrupt();
    }
    return new Values.Longs(out);
  }

  private static <I, O> UnitResult runGeneric(
      CpuTask<I, O> task,
      WorkUnit unit,
      WorkerContext context,
      String where,
      long pieceBytes,
      Consumer<UnitResult> pieces) {
    ValueType<I> inputType = task.inputType();
    OutputBytes sizes = new OutputBytes(task.outputType());
    int n = unit.inputs().size();
    List<O> out = new ArrayList<>(Math.min(n, 1024));
    List<ElementError> errors = new ArrayList<>(0); // numbered from the piece's first input
    int from = 0;
    long bytes = 0;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (context.isCancelled()) return null;
      context.moveTo(unit.firstIndex() + i);
      O value = null;
      try {
        I input = inputType.decode(unit.inputs(), i);
        task.validate(input);
        value = task.apply(input, context);
        RuntimeException noValue = ValueType.nullResult(task.name(), task.outputType(), value);
        if (noValue != null) throw noValue;
      } catch (Throwable t) {
        rethrowIfFatal(t, context.hostsCoordinator());
        errors.add(new ElementError(i - from, RemoteError.of(t, where)));
      }
      clearInterrupt();
      out.add(value);
      bytes += sizes.of(value, i);
      if (bytes >= pieceBytes && i + 1 < n) {
        pieces.accept(piece(task, unit, from, out, errors, where, context, start));
        out = new ArrayList<>();
        errors = new ArrayList<>(0);
        from = i + 1;
        bytes = 0;
        start = System.nanoTime();
      }
    }
    return piece(task, unit, from, out, errors, where, context, start);
  }

  private static <O> UnitResult piece(
      CpuTask<?, O> task,
      WorkUnit unit,
      int from,
      List<O> outputs,
      List<ElementError> errors,
      String where,
      WorkerContext context,
      long start) {
    Values encoded = encode(task.outputType(), outputs, errors, where, context.hostsCoordinator());
    return new UnitResult(
        unit.unitId(), unit.jobId(), from, encoded, List.copyOf(errors), System.nanoTime() - start);
  }

  /**
   * The outputs as they travel. Encoding runs the task's code too (a record's accessors, a tree as
   * deep as the record is nested): an output that cannot be encoded fails its input alone, naming
   * why, and the others keep theirs. Each output is encoded alone only when the whole failed, to
   * find which. {@code errors} stay in the order of their inputs.
   */
  static <O> Values encode(
      ValueType<O> type, List<O> outputs, List<ElementError> errors, String where, boolean shared) {
    try {
      return type.encode(outputs);
    } catch (Throwable whole) {
      rethrowIfFatal(whole, shared);
    }
    List<O> encodable = new ArrayList<>(outputs);
    for (int i = 0; i < encodable.size(); i++) {
      if (encodable.get(i) == null) continue;
      try {
        type.encode(Collections.singletonList(encodable.get(i)));
      } catch (Throwable t) {
        rethrowIfFatal(t, shared);
        encodable.set(i, null);
        errors.add(
            new ElementError(
                i,
                RemoteError.of(
                    "OutputNotEncodable",
                    "its output could not be encoded: " + whyNotEncoded(t),
                    where)));
      }
    }
    errors.sort(Comparator.comparingInt(ElementError::index));
    return type.encode(encodable);
  }

  /**
   * The cause in a few words. Jackson wraps a stack overflow in a message as long as the reference
   * chain it walked: the overflow is what to say.
   */
  private static String whyNotEncoded(Throwable t) {
    try {
      Throwable c = t;
      for (int depth = 0; c != null && depth < 20; depth++, c = c.getCause()) { // causes may loop
        if (c instanceof StackOverflowError) return "StackOverflowError (nested too deeply?)";
      }
    } catch (RuntimeException causeThrew) { // the task's own exception, somewhere in the chain
      // its type and message say enough
    }
    return RemoteError.describe(t);
  }

  /**
   * Errors after which a JVM cannot be trusted (out of memory, an internal error), in a worker JVM
   * of a cluster, are not a task's failure: they go up to Pekko, which stops that JVM ({@code
   * pekko.jvm-exit-on-fatal-error}); the chunks it held run again elsewhere, and an input that
   * keeps ending JVMs fails alone.
   *
   * <p>A JVM that hosts the coordinator ({@code sharedJvm}: an embedded pool) is the application's
   * or the command's own: ending it would end the caller's program and every other pool in it, and
   * stopping its actor system would fail every job of the pool without naming the cause. There the
   * error is that input's failure, named in the caller's {@code TaskFailedException}
   * ("OutOfMemoryError: Requested array size exceeds VM limit"), and the pool goes on. This is
   * defensible because the error came out of the task's own call: the allocation that failed was
   * the task's, and what the task held is garbage once its frames have unwound (a "Requested array
   * size exceeds VM limit" allocated nothing at all). If the heap is truly exhausted, the next
   * allocation fails again and says so, and the application keeps its own policy for that ({@code
   * -XX:+ExitOnOutOfMemoryError}, its own handler): a library does not choose it for it.
   *
   * <p>A task's stack overflow is only that task's failure, wherever it runs.
   */
  static void rethrowIfFatal(Throwable t, boolean sharedJvm) {
    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError) && !sharedJvm)
      throw (VirtualMachineError) t;
  }

  /**
   * An interrupt left set by an input is that input's own: the next input starts without it (else
   * its first sleep or wait fails), and so does Pekko, whose mailbox throws a pending interrupt as
   * an uncaught {@code InterruptedException} once the worker's message is handled.
   */
  static void clearInterrupt() {
    Thread.interrupted();
  }
}
