package org.clusterpool.node.pipe;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.clusterpool.node.handle.Waits;

/**
 * Calls that wait at an end's actor with a timeout (sends for room, polls for a message), oldest
 * first: each has a number, and a timer of the actor that brings its expiry when the timeout
 * passes. The sends and the polls of one end draw their numbers from one counter, so that one
 * expiry message serves both. Used by the actor only.
 */
final class TimedCalls<C> {
  private final Map<Long, C> waiting = new LinkedHashMap<>();
  private final TimerScheduler<PipeEnd.Command> timers;
  private final LongSupplier ids;
  private final LongFunction<PipeEnd.Command> expiry;

  TimedCalls(
      TimerScheduler<PipeEnd.Command> timers,
      LongSupplier ids,
      LongFunction<PipeEnd.Command> expiry) {
    this.timers = timers;
    this.ids = ids;
    this.expiry = expiry;
  }

  /** {@code call} waits; a timeout of -1 (for ever) starts no timer. */
  void park(C call, long timeoutMillis) {
    long id = ids.getAsLong();
    waiting.put(id, call);
    if (timeoutMillis > 0)
      timers.startSingleTimer(expiry.apply(id), expiry.apply(id), Waits.delay(timeoutMillis));
  }

  /**
   * The call numbered {@code id}, whose timeout passed, withdrawn; null if it no longer waits here.
   */
  C expire(long id) {
    return waiting.remove(id);
  }

  /** The oldest call, withdrawn and its timer cancelled; null if none waits. */
  C poll() {
    Iterator<Map.Entry<Long, C>> it = waiting.entrySet().iterator();
    if (!it.hasNext()) return null;
    Map.Entry<Long, C> oldest = it.next();
    it.remove();
    timers.cancel(expiry.apply(oldest.getKey()));
    return oldest.getValue();
  }

  /** Every waiting call, oldest first, withdrawn and their timers cancelled. */
  List<C> drain() {
    List<C> calls = new ArrayList<>(waiting.size());
    for (Map.Entry<Long, C> call : waiting.entrySet()) {
      timers.cancel(expiry.apply(call.getKey()));
      calls.add(call.getValue());
    }
    waiting.clear();
    return calls;
  }

  /**
   * The waiting calls that {@code test} picks, oldest first, withdrawn and their timers cancelled.
   */
  List<C> removeIf(Predicate<C> test) {
    List<C> calls = new ArrayList<>();
    Iterator<Map.Entry<Long, C>> it = waiting.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, C> call = it.next();
      if (test.test(call.getValue())) {
        it.remove();
        timers.cancel(expiry.apply(call.getKey()));
        calls.add(call.getValue());
      }
    }
    return calls;
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  int size() {
    return waiting.size();
  }
}
