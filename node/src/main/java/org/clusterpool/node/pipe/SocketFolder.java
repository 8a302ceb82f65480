package org.clusterpool.node.pipe;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The folder of the sockets of direct connections (pipes', and {@link
 * org.clusterpool.node.directlink.DirectLinks direct links'}): private to this OS user, so that
 * nobody else can even try to connect. A configured folder must be private already; without one,
 * this JVM makes its own under the temp folder.
 */
public final class SocketFolder {
  private SocketFolder() {}

  /**
   * A socket's path must fit in the system's {@code sun_path} (104 bytes on macOS, 108 on Linux).
   */
  public static final int MAX_PATH_BYTES = 100;

  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rwx------");
  private static Path own;

  /**
   * The folder to use: {@code configured} (empty for this JVM's own), or an error that says why it
   * cannot be used.
   */
  public static Path of(String configured) throws IOException {
    if (configured.isEmpty()) return own();
    Path dir = Path.of(configured).toAbsolutePath();
    if (!Files.isDirectory(dir)) {
      if (posix()) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
      else Files.createDirectories(dir);
    }
    if (posix() && !Files.getPosixFilePermissions(dir).equals(PRIVATE)) {
      throw new IOException(
          "clusterpool.pipe.direct-dir "
              + dir
              + " is not private (mode 700): others could reach its sockets");
    }
    return dir;
  }

  private static synchronized Path own() throws IOException {
    if (own == null) {
      own = Files.createTempDirectory("clusterpool-pipes"); // mode 700 on POSIX systems
      own.toFile()
          .deleteOnExit(); // empty by then: each socket is removed once connected, or with its end
    }
    return own;
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
