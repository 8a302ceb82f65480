package org.clusterpool.node.pipe;

import org.clusterpool.node.wire.CborSerializable;

/**
 * One end of a pipe seen from inside, at one moment: what {@link PipeEnd.Inspect} answers.
 *
 * @param name the pipe's name
 * @param end {@code first} or {@code second}
 * @param node the address of the JVM this end is in
 * @param direct the ends talk over a direct Unix-domain-socket connection, not through the cluster
 * @param closed this end was closed, or nothing more can come from the other end (it closed, or is
 *     gone)
 * @param buffered messages that came to this end and no reader has taken yet. Over a direct
 *     connection a message is read from the socket only when a recv waits: until then it counts in
 *     the sender's {@code sent}, not here
 * @param sent messages this end sent
 * @param received messages that came to this end
 * @param blockedSends sends waiting for room at the other end
 * @param blockedRecvs receives waiting for a message
 * @param creditsLeft how many more messages this end may send before the other end's buffer is full
 *     (0 before the ends have met, or for an end that does not send)
 */
public record PipeStats(
    String name,
    String end,
    String node,
    boolean direct,
    boolean closed,
    int buffered,
    long sent,
    long received,
    int blockedSends,
    int blockedRecvs,
    long creditsLeft)
    implements CborSerializable {}
