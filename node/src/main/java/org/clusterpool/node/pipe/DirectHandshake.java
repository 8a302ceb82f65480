package org.clusterpool.node.pipe;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The first bytes on a direct connection: the second end shows the token of the offer ({@link
 * #MAGIC} then the token), the first end answers {@link #ACK} if it is the right one. Each side
 * waits a bounded time, so that a silent socket never holds an end: the connection is then given
 * up, and the pipe goes through the cluster.
 */
public final class DirectHandshake {
  private DirectHandshake() {}

  static final int TOKEN_BYTES = 32;
  private static final byte[] MAGIC = {'C', 'P', 'I', 'P'};
  private static final byte[] ACK = {'C', 'P', 'O', 'K'};

  /**
   * The second end: connects to the offered socket and shows the token; returns the connection once
   * answered.
   */
  static SocketChannel dial(DirectOffer offer, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] token = HexFormat.of().parseHex(offer.token());
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(Path.of(offer.path())));
      channel.configureBlocking(false);
      transfer(
          channel,
          ByteBuffer.allocate(MAGIC.length + TOKEN_BYTES).put(MAGIC).put(token).flip(),
          true,
          deadline);
      ByteBuffer answer = ByteBuffer.allocate(ACK.length);
      transfer(channel, answer, false, deadline);
      if (!MessageDigest.isEqual(answer.array(), ACK))
        throw new IOException("the socket answered something else than a pipe end");
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The first end: whether {@code channel} shows {@code token}; answers it if so. */
  static boolean verify(SocketChannel channel, byte[] token, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    channel.configureBlocking(false);
    ByteBuffer shown = ByteBuffer.allocate(MAGIC.length + TOKEN_BYTES);
    transfer(channel, shown, false, deadline);
    byte[] expected = ByteBuffer.allocate(MAGIC.length + TOKEN_BYTES).put(MAGIC).put(token).array();
    if (!MessageDigest.isEqual(shown.array(), expected)) return false;
    transfer(channel, ByteBuffer.wrap(ACK), true, deadline);
    return true;
  }

  /**
   * Writes, or reads until full, {@code buffer} before the deadline ({@link System#nanoTime}): a
   * handshake's bytes, which a silent peer must not hold for ever.
   */
  public static void transfer(
      SocketChannel channel, ByteBuffer buffer, boolean write, long deadline) throws IOException {
    try (Selector selector = Selector.open()) {
      channel.register(selector, write ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
      while (buffer.hasRemaining()) {
        int n = write ? channel.write(buffer) : channel.read(buffer);
        if (n < 0) throw new IOException("the connection ended during the handshake");
        if (n > 0) continue;
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IOException("the handshake took longer than allowed");
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
      }
    }
  }
}
