package org.clusterpool.node.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first end's socket accepts the one connection that shows the offer's token, in a folder only
 * this user may enter, and nothing after it: a direct connection is no easier to reach than the
 * cluster that carried its offer.
 */
@Timeout(30)
class DirectListenerTest {

  @Test
  void theOwnFolderIsPrivateAndAConfiguredOneMustBe(@TempDir Path temp) throws IOException {
    Path own = SocketFolder.of("");
    assertTrue(Files.isDirectory(own));
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return;
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own)));
    Path made = SocketFolder.of(temp.resolve("made").toString());
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(made)),
        "made private");
    Path open =
        Files.createDirectory(
            temp.resolve("open"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    IOException refused = assertThrows(IOException.class, () -> SocketFolder.of(open.toString()));
    assertTrue(refused.getMessage().contains("is not private (mode 700)"), refused.getMessage());
  }

  @Test
  void onlyTheConnectionThatShowsTheTokenIsTakenAndTheSocketIsGoneAfterIt(@TempDir Path temp)
      throws Exception {
    Path folder = SocketFolder.of(temp.resolve("s").toString());
    CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
    try (DirectListener listener =
        DirectListener.open(folder, "test-accept", Duration.ofSeconds(5), accepted::complete)) {
      DirectOffer offer = listener.offer();
      assertTrue(Files.exists(Path.of(offer.path())));
      assertFalse(offer.toString().contains(offer.token()), "the token stays out of logs");

      byte[] wrong = HexFormat.of().parseHex(offer.token());
      wrong[0] ^= 1;
      DirectOffer forged = new DirectOffer(offer.path(), HexFormat.of().formatHex(wrong));
      IOException unanswered =
          assertThrows(
              IOException.class, () -> DirectHandshake.dial(forged, Duration.ofSeconds(5)));
      assertTrue(
          unanswered.getMessage().contains("the connection ended during the handshake"),
          unanswered.getMessage());
      assertFalse(accepted.isDone(), "a wrong token is refused");

      try (SocketChannel mine = DirectHandshake.dial(offer, Duration.ofSeconds(5))) {
        SocketChannel theirs = accepted.get(5, TimeUnit.SECONDS);
        theirs.close();
        assertTrue(mine.isConnected());
      }
      assertFalse(Files.exists(Path.of(offer.path())), "the socket is removed once taken");
      assertThrows(
          IOException.class,
          () -> DirectHandshake.dial(offer, Duration.ofSeconds(5)),
          "and nobody connects after");
    }
  }

  @Test
  void aSilentConnectionIsDroppedAfterTheHandshakeTimeAndTheRightOneStillComes(@TempDir Path temp)
      throws Exception {
    Path folder = SocketFolder.of(temp.resolve("s").toString());
    CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
    try (DirectListener listener =
        DirectListener.open(folder, "test-accept", Duration.ofMillis(300), accepted::complete)) {
      DirectOffer offer = listener.offer();
      try (SocketChannel silent =
          SocketChannel.open(java.net.UnixDomainSocketAddress.of(Path.of(offer.path())))) {
        Thread.sleep(500);
        assertEquals(-1, silent.read(java.nio.ByteBuffer.allocate(4)), "closed, unanswered");
      }
      try (SocketChannel mine = DirectHandshake.dial(offer, Duration.ofSeconds(5))) {
        accepted.get(5, TimeUnit.SECONDS).close();
      }
    }
  }
}
