package org.clusterpool.coordinator.cli.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.clusterpool.coordinator.connect.CommandFailure;

/**
 * The one {@code cluster up} that may start a cluster in this project: an exclusive lock on {@code
 * cluster.up.lock} beside the state file, taken before {@code up} looks for a running cluster and
 * held until its cluster is up or has failed. Without it, two {@code up} at once both find no
 * cluster and both start one, and each then takes the other's state file for its own. The system
 * releases the lock when the JVM ends, however it ends, so a killed {@code up} never blocks the
 * next.
 */
final class UpLock implements AutoCloseable {
  static final String FILE = "cluster.up.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private UpLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, at once; a {@code cluster up} that holds it already is a one-line error. */
  static UpLock acquire(Path stateFile) {
    Path file = stateFile.toAbsolutePath().getParent().resolve(FILE);
    FileChannel channel = null;
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        // the folder that also keeps the cluster's token: its owner's only
        Files.createDirectories(
            file.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(file.getParent());
      }
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) throw busy(file);
      return new UpLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      close(channel);
      throw busy(file); // another 'up' in this very JVM (tests run commands in one JVM)
    } catch (IOException e) {
      close(channel);
      throw new CommandFailure("cannot lock " + file + " for 'cluster up': " + e.getMessage());
    } catch (RuntimeException e) {
      close(channel);
      throw e;
    }
  }

  private static CommandFailure busy(Path file) {
    return new CommandFailure(
        "another 'cluster up' is starting a cluster here (it holds "
            + file
            + "): wait for it to finish, then see '"
            + ClusterCommand.program()
            + " cluster status'");
  }

  private static void close(FileChannel channel) {
    if (channel == null) return;
    try {
      channel.close();
    } catch (IOException e) {
      // the lock goes with the channel, or with the JVM
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel releases it too
    }
    close(channel);
  }
}
