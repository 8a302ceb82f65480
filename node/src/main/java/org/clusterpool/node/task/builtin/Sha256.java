package org.clusterpool.node.task.builtin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * Hashes the decimal text of n with SHA-256, then hashes the digest again, n times in all: cpu work
 * of a known cost.
 */
public final class Sha256 implements CpuTask<Long, String> {
  static final long MAX = 100_000_000L;

  @Override
  public String name() {
    return "sha256";
  }

  @Override
  public String description() {
    return "n rounds of SHA-256 over the text of n; the hex digest";
  }

  @Override
  public ValueType<Long> inputType() {
    return ValueTypes.LONG;
  }

  @Override
  public ValueType<String> outputType() {
    return ValueTypes.TEXT;
  }

  @Override
  public void validate(Long rounds) {
    if (rounds < 1 || rounds > MAX) {
      throw new IllegalArgumentException(
          "sha256: rounds = " + rounds + " is out of range: accepted 1.." + MAX);
    }
  }

  @Override
  public String apply(Long rounds, TaskContext context) throws NoSuchAlgorithmException {
    validate(rounds);
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] value = Long.toString(rounds).getBytes(StandardCharsets.US_ASCII);
    for (long i = 0; i < rounds; i++) {
      value = digest.digest(value);
      if ((i & 0xFFFF) == 0xFFFF && context.isCancelled()) break;
    }
    return HexFormat.of().formatHex(value);
  }
}
