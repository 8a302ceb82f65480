package org.clusterpool.node.protocol;

import org.clusterpool.node.wire.Values;

/**
 * What a worker runs: a chunk, or part of one after a crash split it ({@code offset} is where the part
 * starts inside its chunk). {@code unitId} is unique per coordinator: a result is kept the first time
 * its unit id comes back and dropped after that, so a unit may run twice but counts once.
 */
public record WorkUnit(long unitId, String jobId, String task, long seq, int offset, long firstIndex, Values inputs) {}
