#!/usr/bin/env bash
# Scale on paper (README, "Kubernetes"): the CPU one chunk costs the coordinator's JVM, measured on this machine
# by org.clusterpool.coordinator.scale.CoordinatorCost (its comment says how). About a minute.
#
#   k8s/coordinator-cost.sh [ROUNDS]     (default 7; the median is printed beside every round)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/coordinator/app/target/clusterpool.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && ./mvnw -B -q -DskipTests package) || { echo "coordinator-cost: the build failed" >&2; exit 1; }
fi
exec java -XX:+UseParallelGC -cp "$jar" org.clusterpool.coordinator.scale.CoordinatorCost "${1:-7}"
