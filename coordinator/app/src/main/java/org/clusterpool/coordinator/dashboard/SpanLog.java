package org.clusterpool.coordinator.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The chunk spans the snapshots fetched from the coordinator, each already written as JSON, kept
 * for the last {@link #KEEP_MILLIS} and at most {@link #MAX_SPANS}: what a page that opens now is
 * shown first, and what each connection is cut from by sequence number.
 */
final class SpanLog {
  static final long KEEP_MILLIS = 60_000;
  static final int MAX_SPANS = 4096;

  /** One span: its sequence number, when it ended, and its JSON object. */
  record Row(long seq, long endMillis, String json) {}

  private final Deque<Row> rows = new ArrayDeque<>();
  private long lastSeq;

  synchronized long lastSeq() {
    return lastSeq;
  }

  /** Adds spans newer than those kept (in order of seq), and forgets the old ones. */
  synchronized void add(List<Row> spans, long newLastSeq, long nowMillis) {
    for (Row row : spans) {
      if (row.seq() <= lastSeq) continue;
      rows.addLast(row);
      lastSeq = row.seq();
    }
    lastSeq = Math.max(lastSeq, newLastSeq);
    while (rows.size() > MAX_SPANS
        || (!rows.isEmpty() && rows.peekFirst().endMillis() < nowMillis - KEEP_MILLIS)) {
      rows.removeFirst();
    }
  }

  /** Forgets every span: the coordinator restarted (its sequence numbers start again). */
  synchronized void reset() {
    rows.clear();
    lastSeq = 0;
  }

  /** The spans kept, oldest first. */
  synchronized List<Row> rows() {
    return new ArrayList<>(rows);
  }
}
