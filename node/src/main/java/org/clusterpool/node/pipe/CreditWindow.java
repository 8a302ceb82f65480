package org.clusterpool.node.pipe;

/**
 * The counts from which one end of a pipe derives its room, the same whether the ends talk through
 * the cluster ({@link PipeEnd}) or over a direct connection ({@link DirectChannel}). Room is state,
 * not a delta: the reader's end states how many messages its reader has taken in all, and the
 * sender may have at most the reader's buffer more than that out, so a lost or repeated credit
 * cannot shrink or grow the window. Not thread-safe: its owner guards it.
 */
final class CreditWindow {
  /**
   * How many unread messages this end holds at most: it states what its reader took every half of
   * it.
   */
  private final int buffer;

  private int peerBuffer;

  /** Messages this end sent, and how many of them the other end's reader has taken. */
  private long sent;

  private long peerConsumed;

  /**
   * Messages that came to this end, how many its readers took, and the last count it stated to the
   * other end.
   */
  private long received;

  private long consumed;
  private long statedConsumed;

  CreditWindow(int buffer, int peerBuffer) {
    this.buffer = buffer;
    this.peerBuffer = peerBuffer;
  }

  /** The other end's hello said how many unread messages it holds at most. */
  void peerBuffer(int peerBuffer) {
    this.peerBuffer = peerBuffer;
  }

  int peerBuffer() {
    return peerBuffer;
  }

  /**
   * Room at the other end: its reader has taken {@code peerConsumed}, and it holds at most its
   * buffer beyond.
   */
  boolean hasRoom() {
    return sent - peerConsumed < peerBuffer;
  }

  void onSent() {
    sent++;
  }

  long sent() {
    return sent;
  }

  /**
   * The other end's reader has taken {@code consumedThere} in all; an older statement changes
   * nothing.
   */
  void onCredit(long consumedThere) {
    peerConsumed = Math.max(peerConsumed, consumedThere);
  }

  long creditsLeft() {
    return Math.max(0, peerBuffer - (sent - peerConsumed));
  }

  void onReceived() {
    received++;
  }

  long received() {
    return received;
  }

  /** More came than this end holds: the other end did not keep to the window. */
  boolean overfull() {
    return received - consumed > buffer;
  }

  /**
   * A reader took a message. Every few taken (half the buffer), the other end learns how many in
   * all: the count to state now, or -1. {@code mayState}: the other end can still hear it.
   */
  long onTaken(boolean mayState) {
    consumed++;
    if (consumed - statedConsumed >= Math.max(1, buffer / 2) && mayState) {
      statedConsumed = consumed;
      return consumed;
    }
    return -1;
  }
}
