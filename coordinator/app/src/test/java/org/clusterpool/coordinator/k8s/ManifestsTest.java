package org.clusterpool.coordinator.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterpool.node.config.LayeredConfig;
import org.junit.jupiter.api.Test;

/**
 * The checks a reviewer makes of {@code k8s/}, on the manifests as written, read into typed
 * objects.
 */
class ManifestsTest {
  static final String COORDINATOR = "clusterpool-coordinator";
  static final String WORKER = "clusterpool-worker";

  private final List<HasMetadata> base = Manifests.ofKustomization(Manifests.directory());
  private final List<HasMetadata> autoscale =
      Manifests.ofKustomization(Manifests.directory().resolve("autoscale"));

  @Test
  void everyManifestIsATypedObjectWithNoUnknownField() {
    List<String> unknown = new ArrayList<>();
    for (HasMetadata resource : concat(base, autoscale)) {
      for (String field : UnknownFields.in(resource))
        unknown.add(Manifests.describe(resource) + ": " + field);
    }
    assertEquals(List.of(), unknown, "fields Kubernetes does not know");
    assertEquals(
        List.of(
            "Deployment " + COORDINATOR,
            "Deployment " + WORKER,
            "Namespace clusterpool",
            "NetworkPolicy clusterpool-api",
            "NetworkPolicy clusterpool-members",
            "PodDisruptionBudget " + COORDINATOR,
            "PodDisruptionBudget " + WORKER,
            "Role clusterpool-pod-reader",
            "RoleBinding clusterpool-pod-reader",
            "Service clusterpool",
            "ServiceAccount clusterpool"),
        base.stream().map(Manifests::describe).sorted().toList());
    assertEquals(
        List.of("HorizontalPodAutoscaler " + WORKER),
        autoscale.stream().map(Manifests::describe).toList());
  }

  @Test
  void selectorsMatchThePodsTheyMean() {
    Deployment coordinator = Manifests.one(base, Deployment.class, COORDINATOR);
    Deployment worker = Manifests.one(base, Deployment.class, WORKER);
    for (Deployment deployment : List.of(coordinator, worker)) {
      assertTrue(
          matches(deployment.getSpec().getSelector().getMatchLabels(), podLabels(deployment)),
          Manifests.describe(deployment) + ": its selector matches its own pods");
    }
    assertFalse(
        matches(coordinator.getSpec().getSelector().getMatchLabels(), podLabels(worker)),
        "the coordinators' selector leaves workers out");
    assertFalse(
        matches(worker.getSpec().getSelector().getMatchLabels(), podLabels(coordinator)),
        "the workers' selector leaves coordinators out");

    Map<String, String> service =
        Manifests.one(base, Service.class, "clusterpool").getSpec().getSelector();
    assertTrue(
        matches(service, podLabels(coordinator)) && !matches(service, podLabels(worker)),
        "the HTTP API's Service selects the coordinators only");

    for (Deployment deployment : List.of(coordinator, worker)) {
      PodDisruptionBudget budget =
          Manifests.one(base, PodDisruptionBudget.class, deployment.getMetadata().getName());
      Map<String, String> selector = budget.getSpec().getSelector().getMatchLabels();
      assertTrue(
          matches(selector, podLabels(deployment)),
          Manifests.describe(budget) + " covers its Deployment's pods");
      Deployment other = deployment == coordinator ? worker : coordinator;
      assertFalse(
          matches(selector, podLabels(other)), Manifests.describe(budget) + " covers only them");
      assertEquals(
          new IntOrString(1),
          budget.getSpec().getMaxUnavailable(),
          Manifests.describe(budget) + ": one pod at a time");
    }

    HorizontalPodAutoscaler hpa = Manifests.one(autoscale, HorizontalPodAutoscaler.class, WORKER);
    assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
    assertEquals(WORKER, hpa.getSpec().getScaleTargetRef().getName());
    assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
    assertTrue(
        hpa.getSpec().getMinReplicas() >= 1
            && hpa.getSpec().getMinReplicas() < hpa.getSpec().getMaxReplicas());
  }

  /**
   * Cluster Bootstrap finds the pods by the label selector of config/kubernetes.conf: it must find
   * both roles.
   */
  @Test
  void theDiscoveryLabelSelectorFindsEveryPodOfTheCluster() {
    Config config = LayeredConfig.load("kubernetes");
    String serviceName =
        config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name");
    String selector =
        String.format(
            config.getString("pekko.discovery.kubernetes-api.pod-label-selector"), serviceName);
    Map<String, String> required = parseSelector(selector);
    for (String name : List.of(COORDINATOR, WORKER)) {
      Deployment deployment = Manifests.one(base, Deployment.class, name);
      assertTrue(
          matches(required, podLabels(deployment)),
          "selector " + selector + " finds the pods of " + name + ": " + podLabels(deployment));
    }
    assertEquals(
        "kubernetes-api",
        config.getString(
            "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    assertTrue(
        config.getBoolean("pekko.discovery.kubernetes-api.use-raw-ip"),
        "contact points by pod IP: no pod DNS needed");
  }

  @Test
  void workersScaleOutBeforeTheyScaleIn() {
    Deployment worker = Manifests.one(base, Deployment.class, WORKER);
    assertEquals(3, worker.getSpec().getReplicas());
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
      assertEquals(
          new IntOrString(1),
          deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge(),
          Manifests.describe(deployment));
      assertEquals(
          new IntOrString(0),
          deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable(),
          Manifests.describe(deployment));
    }
    assertEquals(
        List.of("coordinator", "--config", "kubernetes"),
        container(Manifests.one(base, Deployment.class, COORDINATOR)).getArgs());
    assertEquals(List.of("node", "--config", "kubernetes"), container(worker).getArgs());
  }

  @Test
  void everyProbeUsesANamedPortThatTheContainerDeclares() {
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      Container container = container(deployment);
      Set<String> declared =
          Set.copyOf(container.getPorts().stream().map(ContainerPort::getName).toList());
      assertTrue(
          declared.containsAll(Set.of("remoting", "management")),
          Manifests.describe(deployment) + " declares " + declared);
      Map<String, Probe> probes =
          Map.of(
              "readiness",
              container.getReadinessProbe(),
              "liveness",
              container.getLivenessProbe(),
              "startup",
              container.getStartupProbe());
      for (Map.Entry<String, Probe> probe : probes.entrySet()) {
        String where = Manifests.describe(deployment) + ", " + probe.getKey() + " probe";
        assertNotNull(probe.getValue(), where);
        HTTPGetAction get = probe.getValue().getHttpGet();
        assertNotNull(get, where + ": an HTTP check of Pekko Management");
        assertNotNull(get.getPort().getStrVal(), where + ": by port name, not number");
        assertTrue(
            declared.contains(get.getPort().getStrVal()),
            where + ": port " + get.getPort().getStrVal() + " is declared");
        assertEquals("management", get.getPort().getStrVal(), where);
      }
      assertEquals("/ready", container.getReadinessProbe().getHttpGet().getPath());
      assertEquals("/alive", container.getLivenessProbe().getHttpGet().getPath());
    }
    Container coordinator = container(Manifests.one(base, Deployment.class, COORDINATOR));
    Service service = Manifests.one(base, Service.class, "clusterpool");
    String target = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
    assertTrue(
        coordinator.getPorts().stream().anyMatch(p -> p.getName().equals(target)),
        "the Service's target port " + target + " is declared");
    assertEquals("http", target);
  }

  @Test
  void theRoleLetsThePodsReadPodsAndIsBoundToTheirServiceAccount() {
    ServiceAccount account = Manifests.one(base, ServiceAccount.class, "clusterpool");
    Role role = Manifests.one(base, Role.class, "clusterpool-pod-reader");
    assertEquals(1, role.getRules().size(), "one rule: " + role.getRules());
    assertTrue(
        readsPods(role.getRules().get(0)),
        "list, and nothing else, on pods of the core group: " + role.getRules());
    RoleBinding binding = Manifests.one(base, RoleBinding.class, "clusterpool-pod-reader");
    assertEquals("Role", binding.getRoleRef().getKind());
    assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
    assertEquals("rbac.authorization.k8s.io", binding.getRoleRef().getApiGroup());
    Subject subject = binding.getSubjects().get(0);
    assertEquals("ServiceAccount", subject.getKind(), "a ServiceAccount, not a User");
    assertEquals(account.getMetadata().getName(), subject.getName());
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      assertEquals(
          account.getMetadata().getName(),
          deployment.getSpec().getTemplate().getSpec().getServiceAccountName(),
          Manifests.describe(deployment));
    }
    assertEquals(1, Manifests.all(base, Namespace.class).size());
  }

  private static boolean readsPods(PolicyRule rule) {
    return rule.getApiGroups().equals(List.of(""))
        && rule.getResources().equals(List.of("pods"))
        && rule.getVerbs().equals(List.of("list"))
        && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty());
  }

  /**
   * Every pod of the cluster admits the cluster and management ports from the cluster's pods only,
   * and the coordinators their HTTP port from the pods labelled as clients only; the ports are
   * named as the containers name them.
   */
  @Test
  void networkPoliciesAdmitTheMembersPortsFromMembersAndTheApiFromClientsOnly() {
    NetworkPolicy members = Manifests.one(base, NetworkPolicy.class, "clusterpool-members");
    assertEquals(
        Map.of("app.kubernetes.io/name", "clusterpool"),
        members.getSpec().getPodSelector().getMatchLabels());
    assertEquals(List.of("Ingress"), members.getSpec().getPolicyTypes());
    assertEquals(1, members.getSpec().getIngress().size());
    NetworkPolicyIngressRule fromMembers = members.getSpec().getIngress().get(0);
    assertEquals(1, fromMembers.getFrom().size());
    NetworkPolicyPeer member = fromMembers.getFrom().get(0);
    assertEquals(
        Map.of("app.kubernetes.io/name", "clusterpool"), member.getPodSelector().getMatchLabels());
    assertEquals(null, member.getNamespaceSelector(), "the pods of this namespace only");
    assertEquals(null, member.getIpBlock());
    assertEquals(Set.of("remoting", "management"), ports(fromMembers));

    NetworkPolicy api = Manifests.one(base, NetworkPolicy.class, "clusterpool-api");
    assertEquals(
        podLabels(Manifests.one(base, Deployment.class, COORDINATOR)),
        api.getSpec().getPodSelector().getMatchLabels());
    assertEquals(List.of("Ingress"), api.getSpec().getPolicyTypes());
    assertEquals(1, api.getSpec().getIngress().size());
    NetworkPolicyIngressRule fromClients = api.getSpec().getIngress().get(0);
    assertEquals(1, fromClients.getFrom().size());
    assertEquals(
        Map.of("clusterpool.io/client", "true"),
        fromClients.getFrom().get(0).getPodSelector().getMatchLabels());
    assertEquals(null, fromClients.getFrom().get(0).getIpBlock());
    assertEquals(Set.of("http"), ports(fromClients));

    // every pod is selected by the members' policy, and the ports it admits are the containers' own
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      assertTrue(
          podLabels(deployment)
              .entrySet()
              .containsAll(members.getSpec().getPodSelector().getMatchLabels().entrySet()),
          Manifests.describe(deployment));
      Set<String> declared =
          Set.copyOf(
              container(deployment).getPorts().stream().map(ContainerPort::getName).toList());
      assertTrue(
          declared.containsAll(ports(fromMembers)),
          Manifests.describe(deployment) + " declares " + declared);
    }
    Set<String> coordinatorPorts =
        Set.copyOf(
            container(Manifests.one(base, Deployment.class, COORDINATOR)).getPorts().stream()
                .map(ContainerPort::getName)
                .toList());
    assertTrue(
        coordinatorPorts.containsAll(ports(fromClients)),
        "the coordinator declares " + coordinatorPorts);
  }

  private static Set<String> ports(NetworkPolicyIngressRule rule) {
    for (NetworkPolicyPort port : rule.getPorts()) assertEquals("TCP", port.getProtocol());
    return Set.copyOf(rule.getPorts().stream().map(p -> p.getPort().getStrVal()).toList());
  }

  /**
   * Every pod mounts the Secret clusterpool-tls where config/kubernetes.conf reads the members' TLS
   * files, readable by the pod's group only (fsGroup), and the config reads them with Pekko's
   * provider of rotating PEM files.
   */
  @Test
  void everyPodMountsTheTlsSecretWhereTheConfigReadsIt() {
    Config config = LayeredConfig.load("kubernetes");
    assertEquals("tls-tcp", config.getString("pekko.remote.artery.transport"));
    assertEquals(
        "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider",
        config.getString("pekko.remote.artery.ssl.ssl-engine-provider"));
    String mountPoint =
        config.getString("pekko.remote.artery.ssl.rotating-keys-engine.secret-mount-point");
    assertEquals(
        mountPoint + "/tls.key",
        config.getString("pekko.remote.artery.ssl.rotating-keys-engine.key-file"));
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      Volume tls =
          pod.getVolumes().stream()
              .filter(v -> v.getName().equals("tls"))
              .findFirst()
              .orElseThrow();
      assertEquals(
          "clusterpool-tls", tls.getSecret().getSecretName(), Manifests.describe(deployment));
      assertEquals(
          0440,
          tls.getSecret().getDefaultMode(),
          Manifests.describe(deployment) + ": the owner and the pod's group read it");
      assertEquals(
          pod.getSecurityContext().getRunAsGroup(),
          pod.getSecurityContext().getFsGroup(),
          Manifests.describe(deployment));
      VolumeMount mount =
          container(deployment).getVolumeMounts().stream()
              .filter(m -> m.getName().equals("tls"))
              .findFirst()
              .orElseThrow();
      assertEquals(mountPoint, mount.getMountPath(), Manifests.describe(deployment));
      assertTrue(mount.getReadOnly(), Manifests.describe(deployment));
    }
  }

  @Test
  void everyContainerHasRequestsAndLimitsAndABoundedHeap() {
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      Container container = container(deployment);
      Map<String, Quantity> requests = container.getResources().getRequests();
      Map<String, Quantity> limits = container.getResources().getLimits();
      for (String resource : List.of("cpu", "memory")) {
        String where = Manifests.describe(deployment) + ", " + resource;
        assertNotNull(requests.get(resource), where + " request");
        assertNotNull(limits.get(resource), where + " limit");
        assertTrue(
            Quantity.getAmountInBytes(requests.get(resource))
                    .compareTo(Quantity.getAmountInBytes(limits.get(resource)))
                <= 0,
            where + ": request within the limit");
      }
      // the memory limit is what the kernel enforces: a request below it only invites an OOM kill
      // under pressure
      assertEquals(
          requests.get("memory"),
          limits.get("memory"),
          Manifests.describe(deployment) + ": memory request = limit");
      String options = env(container).get("JAVA_TOOL_OPTIONS");
      assertNotNull(options, Manifests.describe(deployment) + " sets JAVA_TOOL_OPTIONS");
      Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(\\.\\d+)?)").matcher(options);
      assertTrue(percent.find(), "the heap follows the memory limit: " + options);
      double fraction = Double.parseDouble(percent.group(1)) / 100;
      assertTrue(
          fraction > 0.25 && fraction <= 0.75,
          "room beside the heap for metaspace, code and Artery's buffers: " + options);
    }
  }

  /**
   * SIGTERM starts coordinated shutdown; Kubernetes must not kill the JVM before its phases can
   * have run.
   */
  @Test
  void terminationGraceOutlastsCoordinatedShutdown() {
    Config config = LayeredConfig.load("kubernetes");
    assertTrue(
        config.getBoolean("pekko.coordinated-shutdown.exit-jvm"), "the JVM ends with its member");
    Duration phases = Duration.ZERO;
    Config all = config.getConfig("pekko.coordinated-shutdown.phases");
    Duration byDefault = config.getDuration("pekko.coordinated-shutdown.default-phase-timeout");
    for (String phase : all.root().keySet()) {
      Config settings = all.getConfig("\"" + phase + "\"");
      phases =
          phases.plus(settings.hasPath("timeout") ? settings.getDuration("timeout") : byDefault);
    }
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
      assertTrue(
          grace > phases.toSeconds(),
          Manifests.describe(deployment)
              + ": "
              + grace
              + " s of grace, phases take up to "
              + phases.toSeconds()
              + " s");
    }
  }

  /** The pods run as the image's user, and declare the ports the image exposes. */
  @Test
  void podsAgreeWithTheImage() {
    JibSettings image = JibSettings.read();
    for (Deployment deployment : Manifests.all(base, Deployment.class)) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertTrue(pod.getSecurityContext().getRunAsNonRoot(), Manifests.describe(deployment));
      assertEquals(
          image.user(),
          pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup(),
          Manifests.describe(deployment));
      Container container = container(deployment);
      assertEquals(
          "clusterpool", container.getImage(), "the image, its tag set by the kustomization");
      assertTrue(
          container.getSecurityContext().getReadOnlyRootFilesystem(),
          Manifests.describe(deployment));
      assertFalse(
          container.getSecurityContext().getAllowPrivilegeEscalation(),
          Manifests.describe(deployment));
      for (ContainerPort port : container.getPorts()) {
        assertTrue(
            image.ports().contains(port.getContainerPort()),
            Manifests.describe(deployment)
                + ": port "
                + port.getName()
                + " is exposed by the image "
                + image.ports());
      }
    }
  }

  static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertEquals(1, containers.size(), Manifests.describe(deployment) + ": one container");
    return containers.get(0);
  }

  static Map<String, String> podLabels(Deployment deployment) {
    return deployment.getSpec().getTemplate().getMetadata().getLabels();
  }

  /** The plain values of a container's environment. */
  static Map<String, String> env(Container container) {
    Map<String, String> out = new java.util.HashMap<>();
    for (EnvVar variable : container.getEnv())
      if (variable.getValue() != null) out.put(variable.getName(), variable.getValue());
    return out;
  }

  /** Equality-based selector semantics: every required label is there with its value. */
  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
  }

  /** {@code a=b,c=d} into a map; only the equality form that the discovery's setting uses. */
  static Map<String, String> parseSelector(String selector) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String term : selector.split(",")) {
      String[] pair = term.trim().split("==?", 2);
      assertEquals(2, pair.length, "an equality term: " + term);
      out.put(pair[0].trim(), pair[1].trim());
    }
    return out;
  }

  private static List<HasMetadata> concat(List<HasMetadata> a, List<HasMetadata> b) {
    List<HasMetadata> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
