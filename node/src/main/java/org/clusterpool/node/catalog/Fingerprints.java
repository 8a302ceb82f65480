package org.clusterpool.node.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.clusterpool.node.task.LambdaTask;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.text.Escapes;

/**
 * Which version of a task a node runs: {@code version:2.1} when the task declares a version, else
 * {@code sha256:3f2a9c0b1d4e5f67}, a hash of the bytes of its class (with the classes nested in it,
 * and those of its input and output records): any change of its code makes another fingerprint. Two
 * JVMs that load the same jar agree on it; a node whose task of a name has another fingerprint does
 * not get that task's work.
 *
 * <p>A task made from a function ({@link LambdaTask}) has none: a function exists in its JVM only.
 */
public final class Fingerprints {
  private Fingerprints() {}

  public static final String SHA256 = "sha256:";
  public static final String VERSION = "version:";

  /** The longest fingerprint a message may carry: {@code version:} and a declared version. */
  public static final int MAX_LENGTH = 80;

  public static final int MAX_VERSION = 64;

  /** Hex digits of the hash kept: 64 bits tell the versions of one task apart. */
  private static final int HEX = 16;

  private static final ClassValue<String> NESTS =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          return nestHash(type);
        }
      };

  /** The fingerprint of a task of a class, identified by its class (or the version it declares). */
  public static String of(Task<?, ?> task) {
    if (task instanceof LambdaTask<?, ?>) {
      throw new IllegalArgumentException(
          task + " is made from a function: it has no fingerprint outside its JVM");
    }
    String version = task.version();
    if (version != null && !version.isEmpty()) return VERSION + checkedVersion(version, task);
    Set<Class<?>> types = new LinkedHashSet<>();
    types.add(task.getClass());
    addIfOurs(types, task.inputType().javaType());
    addIfOurs(types, task.outputType().javaType());
    MessageDigest digest = sha256();
    for (Class<?> type : types) digest.update(NESTS.get(type).getBytes(StandardCharsets.UTF_8));
    return SHA256 + HexFormat.of().formatHex(digest.digest()).substring(0, HEX);
  }

  public static boolean isLambda(Task<?, ?> task) {
    return task instanceof LambdaTask<?, ?>;
  }

  /** A declared version: printable, on one line, not too long. */
  static String checkedVersion(String version, Task<?, ?> task) {
    boolean printable = version.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    if (!printable || version.length() > MAX_VERSION) {
      throw new TaskLoadException(
          "task class "
              + task.getClass().getName()
              + " declares a version that is not "
              + MAX_VERSION
              + " printable characters without spaces at most: "
              + Escapes.quote(version));
    }
    return version;
  }

  /**
   * The types a task's classes use that come with it, not with the JDK: its records of input and
   * output.
   */
  private static void addIfOurs(Set<Class<?>> types, Class<?> type) {
    if (type == null || type.isPrimitive() || type.isArray()) return;
    ClassLoader loader = type.getClassLoader();
    if (loader == null || loader == ClassLoader.getPlatformClassLoader()) return;
    types.add(type);
  }

  /**
   * A hash of the class's nest (its top-level class and every class nested in it, as the compiler
   * wrote them), by name and bytes. A class whose bytes cannot be read (made at run time) gets a
   * value of its own that no other JVM has.
   */
  private static String nestHash(Class<?> type) {
    Class<?> host = type.getNestHost();
    List<Class<?>> members = new ArrayList<>(List.of(host.getNestMembers()));
    members.sort(Comparator.comparing(Class::getName));
    MessageDigest digest = sha256();
    for (Class<?> member : members) {
      byte[] bytes = bytes(member);
      if (bytes == null)
        return "unreadable:"
            + type.getName()
            + "@"
            + System.identityHashCode(type)
            + ":"
            + System.nanoTime();
      digest.update(member.getName().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(bytes);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static byte[] bytes(Class<?> type) {
    if (type.isHidden()) return null;
    ClassLoader loader = type.getClassLoader();
    if (loader == null) return null;
    try (InputStream in = loader.getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
