package org.clusterpool.node.protocol;

import org.clusterpool.node.wire.RemoteError;

/** One input that failed: its position inside its unit or part, and the error. */
public record ElementError(int index, RemoteError error) {}
