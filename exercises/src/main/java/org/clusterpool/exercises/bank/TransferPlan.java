package org.clusterpool.exercises.bank;

/**
 * Which transfer each client makes on each call. Client {@code c} is the only thread that asks for
 * its own transfers, so a plan may keep per-client state without a lock.
 */
interface TransferPlan {

  record Transfer(int from, int to, long amount) {}

  Transfer next(int client, long call);
}
