/**
 * Direct links: a worker JVM that a coordinator JVM started on its own machine ({@code cluster up},
 * {@code --nodes}, {@code ClusterPool.local}) exchanges its work with that JVM over a Unix domain
 * socket of their own, instead of through Artery, as a pipe's two ends do. The cluster still
 * carries everything else (membership, heartbeats, the receptionist, queues); only the messages
 * between the coordinator and the workers of that JVM take the link: assignments, results, reports,
 * catalogs and stops.
 *
 * <p>Why: a message through Artery crosses several threads on each side (the sender, Artery's
 * outbound stream, the TCP actor, the selector, the same four in reverse), and on a busy machine
 * each crossing is a thread's wake-up; a message over the link goes from the sending actor's thread
 * into the socket, and from the socket's reading thread to the receiving actor.
 *
 * <p>Order: Pekko keeps the order of the messages from one actor to another, and the coordinator's
 * bookkeeping counts on it. A link carries every message between the two JVMs that goes through
 * {@link org.clusterpool.node.directlink.DirectLinks#tell}, in the order told, and it is open
 * before the started JVM's workers exist, so that no message of theirs ever takes the other way
 * first.
 *
 * <p>Safety: the socket lies in a folder only this OS user may enter; the JVM that listens gives
 * each JVM it starts a one-time token in its environment, and takes one connection per token.
 */
package org.clusterpool.node.directlink;
