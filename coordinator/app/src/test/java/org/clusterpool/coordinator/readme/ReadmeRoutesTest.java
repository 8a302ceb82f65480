package org.clusterpool.coordinator.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterpool.coordinator.http.ApiRoute;
import org.junit.jupiter.api.Test;

/**
 * README's table of the HTTP API names exactly the routes the API serves ({@link ApiRoute#ALL},
 * which {@code GET /} lists): a route added, removed or renamed in the code and not in the README
 * (or the other way) fails here, so the two cannot drift apart again.
 */
class ReadmeRoutesTest {
  private static final String HEADER = "| route | what it does |";
  private static final Pattern ENDPOINT =
      Pattern.compile("`((?:GET|POST|PUT|PATCH|DELETE) /[^`?\\s]*)[^`]*`");

  /**
   * Every {@code METHOD /path} of the first column of the README's table of the API, a query taken
   * off.
   */
  private static Set<String> readmeEndpoints() {
    List<String> lines = Readme.lines();
    int header = lines.indexOf(HEADER);
    assertFalse(header < 0, "README.md has the table of the HTTP API, headed " + HEADER);
    Set<String> endpoints = new TreeSet<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String route = lines.get(i).split("\\|")[1];
      Matcher m = ENDPOINT.matcher(route);
      while (m.find()) endpoints.add(m.group(1));
    }
    return endpoints;
  }

  @Test
  void readmeTableListsExactlyTheRoutesTheApiServes() {
    List<String> served = new ArrayList<>();
    ApiRoute.ALL.forEach(route -> served.addAll(route.endpoints()));
    assertEquals(new TreeSet<>(served), readmeEndpoints());
  }
}
