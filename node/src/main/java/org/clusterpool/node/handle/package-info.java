/**
 * What the handles of queues and pipes share: a handle is a plain object that user threads call, backed by a
 * small actor of its own in the caller's JVM (so that the queue or the other end of a pipe can watch it). The
 * handle turns each call into a message with a future; the actor completes the future. The actor and its peer
 * talk through a {@link org.clusterpool.node.handle.Link} (numbered, confirmed, sent again when lost, taken once),
 * and every item they carry is held to an {@link org.clusterpool.node.handle.ItemBudget} under the transport's frame.
 */
package org.clusterpool.node.handle;
