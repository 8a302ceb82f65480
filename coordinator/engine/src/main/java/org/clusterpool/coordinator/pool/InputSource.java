package org.clusterpool.coordinator.pool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.clusterpool.coordinator.input.InputParser;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.wire.Values;

/**
 * Where a job's inputs come from, one chunk at a time: a range of integers (sent as ranges, never
 * listed), or any iterator, read only as far as the job's window needs. Every input is validated by
 * its task before it is sent.
 */
abstract class InputSource<I> {

  /** Inputs not yet taken, or -1 when unknown. */
  abstract long remaining();

  abstract boolean exhausted();

  /**
   * Whether an input can be read now. Only an {@link InputFeed} is ever not ready while not
   * exhausted: its next input has not come yet.
   */
  boolean ready() {
    return !exhausted();
  }

  /** The next chunk of at most {@code n} inputs. */
  abstract Values next(int n);

  /** An input too large for one message: it is not sent, and fails alone. */
  static final class TooLarge extends RuntimeException {
    final long position;
    final Values input;

    TooLarge(long position, Values input, long bytes, long maxBytes) {
      super(
          "input at position "
              + position
              + " takes about "
              + megabytes(bytes)
              + " in a message: a message carries at most "
              + megabytes(maxBytes)
              + " (clusterpool.chunk.max-bytes, under"
              + " pekko.remote.artery.advanced.maximum-frame-size)",
          null,
          false,
          false);
      this.position = position;
      this.input = input;
    }

    private static String megabytes(long bytes) {
      return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
  }

  static <I> InputSource<I> of(
      Task<I, ?> task, Iterable<? extends I> inputs, int maxTextLength, long maxBytes) {
    if (inputs instanceof Inputs.Concatenation<? extends I> concatenation) {
      List<InputSource<I>> parts = new ArrayList<>();
      for (List<? extends I> part : concatenation.parts)
        parts.add(of(task, part, maxTextLength, maxBytes));
      return new PartsSource<>(parts);
    }
    if (inputs instanceof Inputs.LongRange range && task.inputType() == ValueTypes.LONG) {
      @SuppressWarnings("unchecked")
      InputSource<I> source = (InputSource<I>) new RangeSource((Task<Long, ?>) task, range);
      return source;
    }
    if (inputs instanceof Collection<? extends I> collection) {
      return new IteratorSource<>(task, collection, collection.size(), maxTextLength, maxBytes);
    }
    return new IteratorSource<>(task, inputs, -1, maxTextLength, maxBytes);
  }

  /** The inputs of a feed, read as they come. */
  static <I> InputSource<I> of(
      Task<I, ?> task, InputFeed<I> feed, int maxTextLength, long maxBytes) {
    return new IteratorSource<>(task, feed.arrived(), feed::ended, maxTextLength, maxBytes);
  }

  /** Checks every input of the source before any is sent; only for inputs of known length. */
  abstract void validateAll();

  /**
   * Parts one after the other (ranges among listed values), each read as its own source: a range
   * still travels as ranges. A chunk never spans two parts.
   */
  static final class PartsSource<I> extends InputSource<I> {
    private final List<InputSource<I>> parts;
    private int current;

    PartsSource(List<InputSource<I>> parts) {
      this.parts = parts;
      long start = 0; // positions in messages count from the job's first input, not the part's
      for (InputSource<I> part : parts) {
        part.offset(start);
        start += part.remaining();
      }
    }

    @Override
    long remaining() {
      long n = 0;
      for (int i = current; i < parts.size(); i++) n += parts.get(i).remaining();
      return n;
    }

    @Override
    boolean exhausted() {
      while (current < parts.size() && parts.get(current).exhausted()) current++;
      return current == parts.size();
    }

    @Override
    Values next(int n) {
      if (exhausted()) return parts.get(parts.size() - 1).next(n);
      return parts.get(current).next(n);
    }

    @Override
    void validateAll() {
      for (InputSource<I> part : parts) part.validateAll();
    }
  }

  /** Where this source's first input stands in the job, for the positions its messages name. */
  void offset(long start) {}

  /**
   * A range, counted by the inputs left rather than by its last value: a range that ends at {@code
   * Long.MAX_VALUE} has no value after its last, and one past it would wrap to {@code
   * Long.MIN_VALUE}.
   */
  static final class RangeSource extends InputSource<Long> {
    private final Task<Long, ?> task;
    private long next;
    private long left;

    RangeSource(Task<Long, ?> task, Inputs.LongRange range) {
      this.task = task;
      this.next = range.first;
      this.left = range.size();
    }

    @Override
    long remaining() {
      return left;
    }

    @Override
    boolean exhausted() {
      return left == 0;
    }

    @Override
    Values next(int n) {
      int count = (int) Math.min(n, left);
      Values chunk = new Values.LongRange(next, count);
      left -= count;
      if (left > 0) next += count; // never past the range's last value
      return chunk;
    }

    @Override
    void validateAll() {
      if (!Task.validates(task)) return;
      for (long i = 0; i < left; i++) {
        long x = next + i;
        try {
          task.validate(x);
        } catch (Throwable e) {
          throw new IllegalArgumentException(
              "input " + x + ": " + InputParser.refusal(task, Long.toString(x), e), e);
        }
      }
    }
  }

  static final class IteratorSource<I> extends InputSource<I> {
    private final Task<I, ?> task;
    private final Iterable<? extends I> inputs;

    /**
     * Whether the input has ended once the iterator has nothing: always for an iterable, at its end
     * for a feed.
     */
    private final java.util.function.BooleanSupplier ended;

    private final int maxTextLength;
    private final long maxBytes;
    private Iterator<? extends I> iterator;

    /** An input read but left for the next chunk, which it would have made too large. */
    private I pending;

    private boolean validated;
    private long remaining;
    private long position;

    /** {@code known} is the collection's size, or -1 for an iterable that may be read only once. */
    IteratorSource(
        Task<I, ?> task,
        Iterable<? extends I> inputs,
        long known,
        int maxTextLength,
        long maxBytes) {
      this.maxBytes = maxBytes;
      this.task = task;
      this.inputs = inputs;
      this.iterator = inputs.iterator();
      this.ended = () -> true;
      this.remaining = known;
      this.maxTextLength = maxTextLength;
    }

    /** A feed's inputs: {@code arrived} has what came; {@code ended} says whether more may come. */
    IteratorSource(
        Task<I, ?> task,
        Iterator<? extends I> arrived,
        java.util.function.BooleanSupplier ended,
        int maxTextLength,
        long maxBytes) {
      this.maxBytes = maxBytes;
      this.task = task;
      this.inputs = null;
      this.iterator = arrived;
      this.ended = ended;
      this.remaining = -1;
      this.maxTextLength = maxTextLength;
    }

    @Override
    long remaining() {
      return remaining;
    }

    /**
     * What the iterator (or an input's check) threw after the inputs of the last chunk were read:
     * the next call throws it, so that the inputs before it are sent first.
     */
    private RuntimeException broken;

    @Override
    boolean exhausted() {
      // the end first: once it has ended nothing more comes, so an empty iterator then means empty
      // for good
      return broken == null && ended.getAsBoolean() && pending == null && !hasNext();
    }

    @Override
    boolean ready() {
      return broken != null || pending != null || hasNext();
    }

    /** The iterator's hasNext, whose failure is the input's, at the position it stands at. */
    private boolean hasNext() {
      try {
        return iterator.hasNext();
      } catch (RuntimeException e) {
        broken = e;
        return true; // the next call of next throws it
      }
    }

    /**
     * At most {@code n} inputs and {@code maxBytes} bytes; a single input over the limit throws
     * {@link TooLarge}.
     */
    @Override
    Values next(int n) {
      if (broken != null) throw broken;
      List<I> chunk = new ArrayList<>(Math.min(n, 4096));
      long bytes = 0;
      while (chunk.size() < n && (pending != null || hasNext())) {
        I input;
        if (pending != null) {
          input = pending;
          pending = null;
        } else {
          try {
            if (broken != null) throw broken;
            input = iterator.next();
            if (!validated) check(input, position + chunk.size());
          } catch (RuntimeException e) {
            if (chunk.isEmpty()) {
              broken = null;
              throw e;
            }
            broken = e; // the inputs read before it go first; the next call throws it
            break;
          }
        }
        long size = bytes(input);
        if (size > maxBytes && chunk.isEmpty()) {
          position++;
          if (remaining > 0) remaining--;
          throw new TooLarge(position - 1, task.inputType().encode(List.of(input)), size, maxBytes);
        }
        if (bytes + size > maxBytes) {
          pending = input; // it starts the next chunk
          break;
        }
        chunk.add(input);
        bytes += size;
      }
      position += chunk.size();
      if (remaining > 0) remaining -= chunk.size();
      return task.inputType().encode(chunk);
    }

    private long bytes(I input) {
      if (input instanceof String || input instanceof Number || input instanceof Boolean)
        return Values.estimatedBytes(input);
      return Values.estimatedBytes(task.inputType().toJson(input));
    }

    @Override
    void offset(long start) {
      position = start;
    }

    /**
     * Reads a collection once to check it, then again to send it; a lazy input is checked as it is
     * read.
     */
    @Override
    void validateAll() {
      if (remaining < 0) return;
      long at = position;
      for (I input : inputs) check(input, at++);
      iterator = inputs.iterator();
      validated = true;
    }

    private void check(I input, long at) {
      if (input == null) throw new IllegalArgumentException("input at position " + at + " is null");
      if (input instanceof String text && text.length() > maxTextLength) {
        throw new IllegalArgumentException(
            "input at position "
                + at
                + " is "
                + text.length()
                + " characters long: the limit is "
                + maxTextLength
                + " (clusterpool.input.max-text-length)");
      }
      try {
        task.validate(input);
      } catch (Throwable e) {
        throw new IllegalArgumentException(
            "input at position " + at + ": " + InputParser.refusal(task, String.valueOf(input), e),
            e);
      }
    }
  }
}
