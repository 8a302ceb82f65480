package org.clusterpool.exercises.buffer;

/**
 * What the consumers took, each in a row of its own, and the most items seen waiting: the buffer's
 * final record, checked once every client finished.
 */
record Deliveries(long items, int capacity, long[][] taken, long mostWaiting) {}
