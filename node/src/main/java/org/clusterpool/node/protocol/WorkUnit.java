package org.clusterpool.node.protocol;

import org.clusterpool.node.wire.Values;

/**
 * What a worker runs: a chunk, or part of one after a crash split it ({@code offset} is where the
 * part starts inside its chunk). {@code unitId} is unique per coordinator: a result is kept the
 * first time its unit id comes back and dropped after that, so a unit may run twice but counts
 * once. {@code fingerprint} is the version of the task the job means: a worker whose node has
 * another version of the task does not run the unit.
 */
public record WorkUnit(
    long unitId,
    String jobId,
    String task,
    String fingerprint,
    long seq,
    int offset,
    long firstIndex,
    Values inputs) {}
