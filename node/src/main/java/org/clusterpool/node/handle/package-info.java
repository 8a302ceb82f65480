/**
 * What the handles of queues and pipes share: a handle is a plain object that user threads call,
 * backed by a small actor of its own in the caller's JVM (so that the queue or the other end of a
 * pipe can watch it). The handle turns each call into a message with a future; the actor completes
 * the future. The actor and its peer talk through a {@link org.clusterpool.node.handle.Link}
 * (numbered, confirmed, sent again when lost, taken once), and every item they carry is held to an
 * {@link org.clusterpool.node.handle.ItemBudget} under the transport's frame. The steps every
 * handle's actor takes in the same way have one home here: completing a caller's future on the
 * dispatcher and seeing through a {@code CompletionException} ({@link
 * org.clusterpool.node.handle.Futures}), picking the one actor of a receptionist listing ({@link
 * org.clusterpool.node.handle.Listings}), and handing an item to its caller or taking it back
 * ({@link org.clusterpool.node.handle.Handover}).
 */
package org.clusterpool.node.handle;
