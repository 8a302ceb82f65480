package org.clusterpool.node.directlink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.function.Predicate;
import org.clusterpool.node.pipe.DirectHandshake;

/**
 * The first bytes on a link: the started JVM shows its token and its member's address, the
 * listening JVM answers {@link #ACK} if the token is one it gave. Each side waits a bounded time.
 */
final class LinkHandshake {
  private LinkHandshake() {}

  static final int TOKEN_BYTES = 32;

  /** The longest member address taken ({@code pekko://clusterpool@host:port}). */
  private static final int MAX_ADDRESS_BYTES = 512;

  private static final byte[] MAGIC = {'C', 'P', 'L', 'K'};
  private static final byte[] ACK = {'C', 'P', 'O', 'K'};

  /** The dialling side: shows {@code token} and {@code ownAddress}, and waits for the answer. */
  static void show(SocketChannel channel, byte[] token, String ownAddress, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] address = ownAddress.getBytes(StandardCharsets.UTF_8);
    if (address.length > MAX_ADDRESS_BYTES)
      throw new IOException("this member's address is longer than " + MAX_ADDRESS_BYTES + " bytes");
    ByteBuffer hello =
        ByteBuffer.allocate(MAGIC.length + TOKEN_BYTES + 2 + address.length)
            .put(MAGIC)
            .put(token)
            .putShort((short) address.length)
            .put(address)
            .flip();
    DirectHandshake.transfer(channel, hello, true, deadline);
    ByteBuffer answer = ByteBuffer.allocate(ACK.length);
    DirectHandshake.transfer(channel, answer, false, deadline);
    if (!MessageDigest.isEqual(answer.array(), ACK))
      throw new IOException("the socket answered something else than a direct link");
  }

  /**
   * The listening side: the address the connection shows with a token that {@code takeToken}
   * accepts (and answers), or null for a connection to refuse.
   */
  static String check(SocketChannel channel, Predicate<byte[]> takeToken, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    channel.configureBlocking(false);
    ByteBuffer head = ByteBuffer.allocate(MAGIC.length + TOKEN_BYTES + 2);
    DirectHandshake.transfer(channel, head, false, deadline);
    head.flip();
    byte[] magic = new byte[MAGIC.length];
    byte[] token = new byte[TOKEN_BYTES];
    head.get(magic).get(token);
    int length = head.getShort() & 0xffff;
    if (!MessageDigest.isEqual(magic, MAGIC) || length > MAX_ADDRESS_BYTES) return null;
    if (!takeToken.test(token)) return null;
    ByteBuffer address = ByteBuffer.allocate(length);
    DirectHandshake.transfer(channel, address, false, deadline);
    DirectHandshake.transfer(channel, ByteBuffer.wrap(ACK), true, deadline);
    return new String(address.array(), StandardCharsets.UTF_8);
  }
}
