package org.clusterpool.node.protocol;

import org.clusterpool.node.task.TaskKind;

/**
 * A task as nodes and jobs name it across JVMs: its name, its kind, and which version of it ({@code
 * sha256:3f2a9c0b1d4e5f67}, {@code version:2.1}; see {@code
 * org.clusterpool.node.catalog.Fingerprints}). A job runs only on nodes whose catalog holds its
 * task's signature: same name, same kind, same fingerprint.
 */
public record TaskSignature(String name, TaskKind kind, String fingerprint) {

  /** {@code cube (sha256:3f2a9c0b1d4e5f67)}. */
  public String describe() {
    return "'" + name + "' (" + fingerprint + ")";
  }
}
