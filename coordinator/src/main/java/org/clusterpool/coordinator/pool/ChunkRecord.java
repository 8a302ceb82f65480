package org.clusterpool.coordinator.pool;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.wire.Values;

/** A chunk the client sent and has not yet had all results for. It keeps its inputs, to name a failing one. */
final class ChunkRecord {
  final Chunk chunk;
  int remaining;
  /** Results that arrived, kept only by consumers that wait for the whole chunk (ordered imap). */
  List<Part> parts;

  ChunkRecord(Chunk chunk) {
    this.chunk = chunk;
    this.remaining = chunk.inputs().size();
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

  void keep(Part part) {
    if (parts == null) parts = new ArrayList<>(1);
    parts.add(part);
  }

  /** Some results of a chunk: inputs {@code offset .. offset + outputs.size()} of it. */
  record Part(ChunkRecord chunk, int offset, Values outputs, List<ElementError> errors) {}
}
