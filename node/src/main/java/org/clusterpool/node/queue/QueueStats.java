package org.clusterpool.node.queue;

import org.clusterpool.node.wire.CborSerializable;

/**
 * A queue seen from inside, at one moment.
 *
 * @param size items waiting in the queue ({@code qsize()})
 * @param unacknowledged items handed to consumers and not yet acknowledged: they come back if their
 *     consumer dies
 * @param parkedPuts puts that wait for room, each holding its item
 * @param parkedGets gets that wait for an item
 * @param clients handles that have talked to the queue and are still alive
 * @param highestSize the most items the queue ever held at once: at most {@code maxsize}, unless
 *     items came back from a consumer that died
 * @param highestParkedPuts the most puts that ever waited at once: at most one window of puts per
 *     handle
 * @param accepted items put
 * @param waitedPuts puts that found the queue full and waited for room
 * @param delivered items handed to consumers, re-deliveries included
 * @param redelivered items that came back from a consumer that died before acknowledging them
 * @param node the address of the JVM the queue lives in
 */
public record QueueStats(
    QueueInfo info,
    boolean closed,
    int size,
    int unacknowledged,
    int parkedPuts,
    int parkedGets,
    int clients,
    int highestSize,
    int highestParkedPuts,
    long accepted,
    long waitedPuts,
    long delivered,
    long redelivered,
    String node)
    implements CborSerializable {}
