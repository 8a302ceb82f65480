package org.clusterpool.node.protocol;

import org.clusterpool.node.wire.Values;

/**
 * A slice of a job's inputs, as a client submits it: {@code seq} numbers the chunks of a job from
 * 0, {@code firstIndex} is the position of the chunk's first input in the whole job.
 */
public record Chunk(long seq, long firstIndex, Values inputs) {}
