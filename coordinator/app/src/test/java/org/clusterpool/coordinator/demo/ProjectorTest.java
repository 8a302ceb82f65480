package org.clusterpool.coordinator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A conclusion too long for a projected terminal is wrapped at words, its next lines indented under
 * it.
 */
class ProjectorTest {

  @Test
  void longLinesWrapAtWordsAndKeepTheirIndentation() {
    assertEquals("  aaa bbb\n    ccc ddd\n    eee", Projector.wrap("  aaa bbb ccc ddd eee", 11));
    assertEquals("short line", Projector.wrap("short line", 116));
    assertEquals("averyveryverylongword\n  x", Projector.wrap("averyveryverylongword x", 10));
  }
}
