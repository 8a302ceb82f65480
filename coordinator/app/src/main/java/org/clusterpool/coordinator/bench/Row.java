package org.clusterpool.coordinator.bench;

/**
 * One line of the bench table: what was measured, clusterpool's figure, and the peers' figures
 * measured in the same run (null when not measured). {@code note} says what the figures mean.
 */
record Row(String scenario, Figure clusterpool, Figure python, Figure java, String note) {}
