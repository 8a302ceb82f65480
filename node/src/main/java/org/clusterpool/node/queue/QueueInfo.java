package org.clusterpool.node.queue;

import org.clusterpool.node.wire.CborSerializable;

/**
 * What a queue is: its name, the name of its items' {@code ValueType}, its {@code maxsize} (0:
 * unbounded), and whether it is joinable (items are acknowledged with {@code taskDone}).
 */
public record QueueInfo(String name, String typeName, int maxsize, boolean joinable)
    implements CborSerializable {}
