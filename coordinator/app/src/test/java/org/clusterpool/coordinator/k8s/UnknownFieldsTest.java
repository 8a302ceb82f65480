package org.clusterpool.coordinator.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The checks of the manifests can fail: a misspelt or misplaced field, or an unknown kind, is
 * caught.
 */
class UnknownFieldsTest {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: d
      spec:
        replica: 3
        selector:
          matchLabels: {app: d}
        template:
          metadata:
            labels: {app: d}
          spec:
            containers:
              - name: c
                image: i
                readinesProbe:
                  httpGet: {path: /ready, port: management}
                ports:
                  - name: management
                    containerport: 7626
                resources:
                  limits: {cpu: "1"}
      """;

  @Test
  void misspeltFieldsAreNamedByTheirPath() {
    List<HasMetadata> parsed = Manifests.parse(DEPLOYMENT, "test");
    assertTrue(parsed.get(0) instanceof Deployment, "typed: " + parsed.get(0).getClass());
    assertEquals(
        Set.of(
            "spec.replica",
            "spec.template.spec.containers[0].readinesProbe",
            "spec.template.spec.containers[0].ports[0].containerport"),
        Set.copyOf(UnknownFields.in(parsed.get(0))));
  }

  @Test
  void aCorrectManifestHasNone() {
    String correct =
        DEPLOYMENT
            .replace("replica:", "replicas:")
            .replace("readinesProbe", "readinessProbe")
            .replace("containerport", "containerPort");
    assertEquals(List.of(), UnknownFields.in(Manifests.parse(correct, "test").get(0)));
  }

  @Test
  void anUnknownKindIsRefused() {
    AssertionError error =
        assertThrows(
            AssertionError.class,
            () ->
                Manifests.parse(
                    "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: d}\n", "test"));
    assertTrue(error.getMessage().contains("Deploymnet"), error.getMessage());
  }

  @Test
  void aDuplicateKeyIsRefused() {
    AssertionError error =
        assertThrows(
            AssertionError.class,
            () ->
                Manifests.parse(
                    "apiVersion: v1\n"
                        + "kind: ServiceAccount\n"
                        + "metadata: {name: a}\n"
                        + "metadata: {name: b}\n",
                    "test"));
    assertTrue(error.getMessage().contains("metadata"), error.getMessage());
  }
}
