package org.clusterpool.coordinator.pool;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.coordinator.scheduler.Answered;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.wire.Values;

/**
 * A chunk the client sent and has not yet had all results for. It keeps its inputs, to name a
 * failing one.
 */
final class ChunkRecord {
  final Chunk chunk;
  int remaining;

  /** Results that arrived, kept only by consumers that wait for the whole chunk (ordered imap). */
  List<Part> parts;

  /**
   * Which inputs have their result: a chunk sent again after its coordinator went may answer twice.
   */
  private final Answered answered;

  /** False for a chunk refused here (an input too large), which never leaves this JVM. */
  final boolean sent;

  ChunkRecord(Chunk chunk, boolean sent) {
    this.chunk = chunk;
    this.remaining = chunk.inputs().size();
    this.answered = new Answered(chunk.inputs().size());
    this.sent = sent;
  }

  long seq() {
    return chunk.seq();
  }

  long firstIndex() {
    return chunk.firstIndex();
  }

  int size() {
    return chunk.inputs().size();
  }

  /**
   * The ranges {@code [from, to)} of inputs, among {@code offset .. offset + count}, that had no
   * result yet; they are marked answered. What came first counts.
   */
  List<int[]> claim(int offset, int count) {
    return answered.claim(offset, count);
  }

  void keep(Part part) {
    if (parts == null) parts = new ArrayList<>(1);
    parts.add(part);
  }

  /**
   * Some results of a chunk: inputs {@code offset .. offset + outputs.size()} of it, computed by
   * {@code worker}.
   */
  record Part(
      ChunkRecord chunk, int offset, Values outputs, List<ElementError> errors, String worker) {}
}
