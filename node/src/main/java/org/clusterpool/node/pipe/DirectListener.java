package org.clusterpool.node.pipe;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The first end's side of a direct connection: a Unix domain socket in the private {@link
 * SocketFolder}, waiting for the second end. It takes one connection, the first that shows the
 * offer's token, then closes and removes the socket, so that nobody can connect after it; a
 * connection without the token is closed unanswered.
 */
final class DirectListener implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ServerSocketChannel server;
  private final Path path;
  private final byte[] token = new byte[DirectHandshake.TOKEN_BYTES];
  private volatile boolean closed;

  private DirectListener(ServerSocketChannel server, Path path) {
    this.server = server;
    this.path = path;
    RANDOM.nextBytes(token);
  }

  /**
   * A socket in {@code folder}, accepting on a thread of its own named {@code threadName}; the
   * connection that shows the token goes to {@code accepted} (on that thread). Throws when this
   * system cannot offer one.
   */
  static DirectListener open(
      Path folder, String threadName, Duration handshake, Consumer<SocketChannel> accepted)
      throws IOException {
    byte[] name = new byte[8];
    RANDOM.nextBytes(name);
    Path path = folder.resolve(HexFormat.of().formatHex(name) + ".sock");
    if (path.toString().getBytes(StandardCharsets.UTF_8).length > SocketFolder.MAX_PATH_BYTES) {
      throw new IOException(
          "the socket's path "
              + path
              + " is longer than "
              + SocketFolder.MAX_PATH_BYTES
              + " bytes: set clusterpool.pipe.direct-dir to a shorter folder");
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(path), 1);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    DirectListener listener = new DirectListener(server, path);
    Thread acceptor = new Thread(() -> listener.acceptOne(handshake, accepted), threadName);
    acceptor.setDaemon(true);
    acceptor.start();
    return listener;
  }

  DirectOffer offer() {
    return new DirectOffer(path.toString(), HexFormat.of().formatHex(token));
  }

  private void acceptOne(Duration handshake, Consumer<SocketChannel> accepted) {
    while (!closed) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        if (DirectHandshake.verify(channel, token, handshake)) {
          close();
          accepted.accept(channel);
          return;
        }
      } catch (IOException e) {
        // silent, or gone: not the other end
      }
      try {
        channel.close();
      } catch (IOException ignored) {
        // refused anyway
      }
    }
  }

  /** Stops accepting and removes the socket. Closing twice does nothing. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing: nothing more to do with it
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // in a private folder: left for the JVM's exit
    }
  }
}
