package org.clusterpool.coordinator.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusterpool.coordinator.http.ApiAccess;
import org.clusterpool.coordinator.http.HttpSettings;
import org.clusterpool.node.catalog.TaskPaths;
import org.junit.jupiter.api.Test;

/**
 * config/kubernetes.conf as each pod of k8s/ resolves it, with the environment its Deployment gives
 * it: the addresses, ports and names it ends up with must be the ones the manifests declare and the
 * probes use.
 */
class PodConfigTest {
  private static final String POD_IP = "10.244.1.7";

  /**
   * What a variable from a Secret holds in this test: the Secret's name and key, long enough for a
   * token.
   */
  static String fromSecret(String name, String key) {
    return "secret-" + name + "-" + key;
  }

  private final List<HasMetadata> base = Manifests.ofKustomization(Manifests.directory());

  /**
   * The config a container's JVM reads: kubernetes.conf over Pekko's defaults, its ${?VARIABLES}
   * from the pod's env.
   */
  static Config asResolvedIn(Container container) {
    Map<String, Object> env = new HashMap<>();
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValue() != null) {
        env.put(variable.getName(), variable.getValue());
      } else if (variable.getValueFrom() != null
          && variable.getValueFrom().getFieldRef() != null
          && variable.getValueFrom().getFieldRef().getFieldPath().equals("status.podIP")) {
        env.put(variable.getName(), POD_IP);
      } else if (variable.getValueFrom() != null
          && variable.getValueFrom().getSecretKeyRef() != null) {
        env.put(
            variable.getName(),
            fromSecret(
                variable.getValueFrom().getSecretKeyRef().getName(),
                variable.getValueFrom().getSecretKeyRef().getKey()));
      } else {
        throw new AssertionError(
            "environment variable "
                + variable.getName()
                + ": only values, status.podIP and Secrets are expected");
      }
    }
    // noSystem: this machine's own environment must not stand in for the pod's
    return ConfigFactory.parseResources("kubernetes.conf")
        .withFallback(ConfigFactory.parseMap(env))
        .withFallback(ConfigFactory.parseResources("pekko.conf"))
        .withFallback(
            ConfigFactory
                .defaultReferenceUnresolved()) // clusterpool's defaults read the pod's variables
        // too
        .resolve(ConfigResolveOptions.noSystem());
  }

  @Test
  void eachPodAdvertisesItsIpAndListensOnItsDeclaredPorts() {
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      Container container = ManifestsTest.container(deployment);
      Config config = asResolvedIn(container);
      String where = Manifests.describe(deployment);
      assertEquals(
          POD_IP,
          config.getString("pekko.remote.artery.canonical.hostname"),
          where + ": the member's address is the pod's IP");
      assertEquals(
          POD_IP,
          config.getString("pekko.management.http.hostname"),
          where + ": so is its contact point's");
      assertEquals(
          port(container, "remoting"),
          config.getInt("pekko.remote.artery.canonical.port"),
          where + ": remoting port");
      assertEquals(
          port(container, "management"),
          config.getInt("pekko.management.http.port"),
          where + ": management port");
      String portName =
          config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name");
      assertEquals(
          port(container, portName),
          config.getInt("pekko.management.http.port"),
          where + ": the contact point that discovery finds by port name is Pekko Management");
      assertTrue(config.getBoolean("clusterpool.bootstrap.enabled"), where);
      assertEquals(
          List.of(),
          config.getStringList("pekko.cluster.seed-nodes"),
          where + ": no seed nodes, bootstrap only");
      assertEquals(
          "org.clusterpool.node.launcher.ClusterDowningProvider",
          config.getString("pekko.cluster.downing-provider-class"),
          where);
      assertFalse(
          config.hasPath("clusterpool.downing.owner")
              && config.getBoolean("clusterpool.downing.owner"),
          where + ": no pod owns the others: Pekko's Split Brain Resolver downs");
    }
    Container coordinator =
        ManifestsTest.container(Manifests.one(base, Deployment.class, ManifestsTest.COORDINATOR));
    Config config = asResolvedIn(coordinator);
    assertEquals(
        port(coordinator, "http"), config.getInt("clusterpool.http.port"), "the HTTP API's port");
    assertEquals(
        "0.0.0.0",
        config.getString("clusterpool.http.interface"),
        "reachable through the Service and port-forward");
    // beyond loopback, so over HTTPS: with the Secret the pod mounts, never in plain HTTP
    String mounted =
        coordinator.getVolumeMounts().stream()
            .filter(m -> m.getName().equals("tls"))
            .findFirst()
            .orElseThrow()
            .getMountPath();
    HttpSettings http = HttpSettings.fromConfig(config);
    assertEquals(mounted, http.https().dir(), "the HTTP API serves the mounted Secret");
    assertFalse(http.https().insecurePlainHttp());
  }

  /**
   * The coordinator's HTTP API, on every interface of its pod, asks for the token of a Secret that
   * must exist.
   */
  @Test
  void theCoordinatorsApiAsksForTheTokenOfASecret() {
    Container coordinator =
        ManifestsTest.container(Manifests.one(base, Deployment.class, ManifestsTest.COORDINATOR));
    EnvVar token =
        coordinator.getEnv().stream()
            .filter(v -> v.getName().equals("CLUSTERPOOL_TOKEN"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the coordinator gets CLUSTERPOOL_TOKEN"));
    assertNotNull(
        token.getValueFrom().getSecretKeyRef(), "from a Secret, not a value in the manifest");
    assertEquals(
        Boolean.FALSE,
        token.getValueFrom().getSecretKeyRef().getOptional(),
        "no Secret, no pod: never an open API");
    HttpSettings http = HttpSettings.fromConfig(asResolvedIn(coordinator));
    ApiAccess access = ApiAccess.resolve(http.access(), http.iface());
    assertEquals(
        fromSecret(
            token.getValueFrom().getSecretKeyRef().getName(),
            token.getValueFrom().getSecretKeyRef().getKey()),
        access.token().orElseThrow().value());
    assertTrue(
        http.access().allowedHosts().contains("clusterpool"),
        "the Service's name is a host the API answers to");
  }

  /**
   * Every pod loads the jars of the image's {@code /app/tasks} (where Jib's extra directories, or a
   * layer on top of the image, put them), and no other path: coordinators and workers of one image
   * run the same tasks.
   */
  @Test
  void everyPodRunsTheTasksOfTheImagesTasksFolder() {
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      TaskPaths tasks = TaskPaths.fromConfig(asResolvedIn(ManifestsTest.container(deployment)));
      assertEquals(
          Optional.of(Path.of("/app/tasks")), tasks.directory(), Manifests.describe(deployment));
      assertEquals(List.of(), tasks.paths(), Manifests.describe(deployment));
    }
  }

  /**
   * A new cluster forms once this many pods answer: never more than the Deployments start, nor
   * fewer than two.
   */
  @Test
  void theContactPointsRequiredAreThereAtTheFirstStart() {
    int pods =
        Manifests.all(base, Deployment.class).stream()
            .mapToInt(d -> d.getSpec().getReplicas())
            .sum();
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      int required =
          asResolvedIn(ManifestsTest.container(deployment))
              .getInt(
                  "pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr");
      assertTrue(
          required >= 2 && required <= pods,
          Manifests.describe(deployment) + ": " + required + " of " + pods + " pods");
    }
  }

  /** Like Pool(processes=K): a worker pod runs one worker actor per core its CPU limit allows. */
  @Test
  void workerActorsFitTheCpuLimit() {
    Container worker =
        ManifestsTest.container(Manifests.one(base, Deployment.class, ManifestsTest.WORKER));
    int perNode = asResolvedIn(worker).getInt("clusterpool.worker.per-node");
    BigDecimal cores =
        Quantity.getAmountInBytes(worker.getResources().getLimits().get("cpu"))
            .setScale(0, RoundingMode.CEILING);
    assertTrue(
        perNode >= 1 && perNode <= cores.intValue(),
        perNode + " worker actors for a limit of " + cores + " cores");
  }

  private static int port(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name));
  }
}
