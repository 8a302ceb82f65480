package org.clusterpool.coordinator.pool;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Inputs that the pool can send without listing them, like Python's {@code range}. */
public final class Inputs {
  private Inputs() {}

  /**
   * The integers {@code first, first + 1, ..., last} (both included). A chunk of a range travels as
   * two numbers, however long it is.
   */
  public static List<Long> range(long first, long last) {
    return new LongRange(first, last);
  }

  /** A range of integers; a list so that its length is known, without holding its elements. */
  static final class LongRange extends AbstractList<Long> {
    final long first;
    final long last;
    private final int size;

    LongRange(long first, long last) {
      if (last < first) throw new IllegalArgumentException("empty range " + first + ".." + last);
      long n = last - first + 1;
      if (n <= 0 || n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "range "
                + first
                + ".."
                + last
                + " is too long: at most "
                + Integer.MAX_VALUE
                + " values");
      }
      this.first = first;
      this.last = last;
      this.size = (int) n;
    }

    @Override
    public Long get(int index) {
      if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
      return first + index;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public String toString() {
      return first + ".." + last;
    }
  }

  /**
   * The parts one after the other, without copying them: a range among listed values stays a range,
   * sent as ranges. One part is returned as it is. At most {@link Integer#MAX_VALUE} inputs in all.
   */
  public static <T> List<T> concat(List<? extends List<? extends T>> parts) {
    List<List<? extends T>> kept = new ArrayList<>();
    for (List<? extends T> part : parts) if (!part.isEmpty()) kept.add(part);
    if (kept.size() == 1) {
      @SuppressWarnings("unchecked")
      List<T> only = (List<T>) kept.get(0);
      return only;
    }
    return new Concatenation<>(kept);
  }

  /** Lists read one after the other; its parts are what a pool sends, each in its own way. */
  static final class Concatenation<T> extends AbstractList<T> {
    final List<List<? extends T>> parts;
    private final long[] starts; // the index of each part's first element
    private final int size;

    Concatenation(List<List<? extends T>> parts) {
      this.parts = List.copyOf(parts);
      this.starts = new long[parts.size()];
      long n = 0;
      for (int i = 0; i < parts.size(); i++) {
        starts[i] = n;
        n += parts.get(i).size();
      }
      if (n > Integer.MAX_VALUE)
        throw new IllegalArgumentException(
            "too many inputs: at most " + Integer.MAX_VALUE + " in one job, got " + n);
      this.size = (int) n;
    }

    @Override
    public T get(int index) {
      if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
      int at = Arrays.binarySearch(starts, index);
      int part = at >= 0 ? at : -at - 2;
      return parts.get(part).get((int) (index - starts[part]));
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public Iterator<T> iterator() {
      return new Iterator<>() {
        private int part;
        private Iterator<? extends T> current = parts.isEmpty() ? null : parts.get(0).iterator();

        @Override
        public boolean hasNext() {
          while (current != null && !current.hasNext()) {
            part++;
            current = part < parts.size() ? parts.get(part).iterator() : null;
          }
          return current != null;
        }

        @Override
        public T next() {
          if (!hasNext()) throw new NoSuchElementException();
          return current.next();
        }
      };
    }
  }
}
