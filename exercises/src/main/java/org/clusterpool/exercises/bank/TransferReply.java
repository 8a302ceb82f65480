package org.clusterpool.exercises.bank;

import org.clusterpool.node.wire.CborSerializable;

/**
 * What an account actor or an account shard answers the client of a transfer: a protocol both
 * speak.
 */
sealed interface TransferReply extends CborSerializable
    permits TransferReply.Transferred, TransferReply.Refused {

  /** The money has left one account and landed in the other. */
  record Transferred(long amount) implements TransferReply {}

  /** Nothing moved: the paying account held less than the amount. */
  record Refused(long balance, long amount) implements TransferReply {}
}
