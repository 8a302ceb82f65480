package org.clusterpool.exercises.philosophers;

/**
 * What the watch saw once every philosopher was done.
 *
 * @param overlaps times a philosopher started eating while a neighbour ate
 * @param dined per philosopher, the calls to {@code dine} that returned
 * @param eaten per philosopher, the meals it actually ate (calls to {@code meal.run()})
 */
record Dinner(long overlaps, long[] dined, long[] eaten) {}
