package org.clusterpool.node.wire;

/**
 * Marks a message that may cross JVMs. Bound once to Pekko's {@code jackson-cbor} serializer in
 * {@code config/serialization.conf}; messages that never leave their actor's JVM do not carry it.
 */
public interface CborSerializable {}
