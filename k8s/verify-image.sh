#!/usr/bin/env bash
# Proves the container image on a machine without a Docker engine or a registry:
#   1. a Java 17 JRE base image made from Debian packages (k8s/image/debian-jre-base.sh), cached between runs
#   2. the image built on it by Jib (jib:buildTar, from.image=tar://...), as `jib:dockerBuild` would build it
#   3. its config read back: entrypoint, default command, user, exposed ports, environment
#   4. the image unpacked and its entrypoint run in a chroot as the image's user: --help, then a node that starts,
#      serves /alive, keeps /ready red (no cluster), and leaves on SIGTERM
#   5. the image again with a user's jar of tasks (examples/cube-task) added by Jib's extraDirectories: the jar is
#      /app/tasks/cube-task.jar in it, and a node of the image (--config kubernetes) runs its tasks
#
#   sudo k8s/verify-image.sh [--rebuild-base] [--keep]
#
# Exit: 0 proven; 1 the image is wrong or the build failed; 3 skipped: not root, or the tools or the Debian mirror
# cannot be had (the message says which). The base image is cached in $CLUSTERPOOL_IMAGE_CACHE
# (default ~/.cache/clusterpool); --rebuild-base makes it again. Work files go to coordinator/app/target/image-check/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/coordinator/app/target/image-check"
cache="${CLUSTERPOOL_IMAGE_CACHE:-$HOME/.cache/clusterpool}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite="${DEBIAN_SUITE:-bookworm}"
base="$cache/debian-$suite-jre17.tar"
image="$work/clusterpool-image.tar"
rebuild_base=false
keep=false
for arg in "$@"; do
  case "$arg" in
    --rebuild-base) rebuild_base=true ;;
    --keep) keep=true ;;
    *) echo "verify-image: unknown option $arg: accepted --rebuild-base, --keep" >&2; exit 2 ;;
  esac
done

started=$SECONDS
step_started=$SECONDS
step() { echo "verify-image: [$((SECONDS - started)) s] $*"; step_started=$SECONDS; }
took() { echo "verify-image:   done in $((SECONDS - step_started)) s"; }
skip() { echo "verify-image: SKIPPED: $*" >&2; exit 3; }
fail() { echo "verify-image: FAILED: $*" >&2; exit 1; }

# ---- what it needs
[ "$(uname -s)" = Linux ] || skip "needs Linux (debootstrap and chroot)"
[ "$(id -u)" = 0 ] || skip "needs root for debootstrap and chroot: sudo $0"
mkdir -p "$work" "$cache"
missing=()
for tool in debootstrap umoci skopeo jq curl; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]} from Debian"
  command -v apt-get >/dev/null 2>&1 || skip "no apt-get to install ${missing[*]}: install them by hand"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$work.apt.log" 2>&1 \
    || skip "cannot install ${missing[*]} from Debian (see $work.apt.log)"
  took
fi

# ---- 1. the base image
if $rebuild_base || [ ! -s "$base" ]; then
  curl -fsS --max-time 20 -o /dev/null "$mirror/dists/$suite/Release" \
    || skip "the Debian mirror $mirror is not reachable: no base image can be made (set DEBIAN_MIRROR)"
  step "base image: Debian $suite minbase + openjdk-17-jre-headless"
  "$root/k8s/image/debian-jre-base.sh" "$base" "$work/base-work"
  took
else
  step "base image: $base (cached; --rebuild-base makes it again)"
fi

# ---- 2. the image, by Jib
step "jib:buildTar on tar://$base"
(cd "$root" && ./mvnw -B -q -pl coordinator/app -am -DskipTests package jib:buildTar \
  -Djib.containerize=org.clusterpool:clusterpool-app \
  -Djib.from.image="tar://$base" \
  -Djib.outputPaths.tar="$image" \
  -Djib.disableUpdateChecks=true) >"$work/jib.log" 2>&1 || { tail -30 "$work/jib.log" >&2; fail "jib:buildTar failed (see $work/jib.log)"; }
[ -s "$image" ] || fail "jib wrote no $image"
echo "verify-image:   $image ($(du -h "$image" | cut -f1))"
took

# ---- 3. its config
step "the image's config"
config="$(skopeo inspect --config "docker-archive:$image")"
echo "$config" | jq -c '{Entrypoint: .config.Entrypoint, Cmd: .config.Cmd, User: .config.User, ExposedPorts: (.config.ExposedPorts | keys), WorkingDir: .config.WorkingDir}'
check() { # check DESCRIPTION JQ_EXPRESSION: the expression must be true of the config
  echo "$config" | jq -e "$2" >/dev/null || fail "the image's config: $1; it is $(echo "$config" | jq -c '.config')"
  echo "verify-image:   ok: $1"
}
check "the entrypoint runs java with the jar's main class" \
  '.config.Entrypoint[0] == "java" and (.config.Entrypoint | index("org.clusterpool.coordinator.cli.Main")) != null'
check "a pod out of memory exits" '.config.Entrypoint | index("-XX:+ExitOnOutOfMemoryError") != null'
check "the default command is a worker node on the kubernetes config" '.config.Cmd == ["node", "--config", "kubernetes"]'
check "it runs as 65532:65532, not root" '.config.User == "65532:65532"'
check "it exposes remoting 25520, management 7626, http 8080" \
  '(.config.ExposedPorts | keys | sort) == ["25520/tcp", "7626/tcp", "8080/tcp"]'
check "the heap follows the container's memory" '.config.Env | index("JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75") != null'
check "java is on the base image's PATH" '.config.Env | map(select(startswith("PATH="))) | length == 1'
check "built on the Debian JRE base" '.config.Env | map(select(startswith("JAVA_HOME=/usr/lib/jvm/java-17"))) | length == 1'
took

# ---- 4. its entrypoint, in a chroot of the unpacked image
step "unpacking the image"
bundle="$work/bundle"
rootfs="$bundle/rootfs"
mounted=false
cleanup() {
  if $mounted; then umount "$rootfs/proc" 2>/dev/null || umount -l "$rootfs/proc" || true; fi
  if [ -n "${node_pid:-}" ] && kill -0 "$node_pid" 2>/dev/null; then kill -KILL "$node_pid" 2>/dev/null || true; fi
  # never delete through a mount: the proc mount is gone before the bundle is
  if ! $keep && ! grep -q " $rootfs" /proc/mounts; then rm -rf "$bundle" "$work/oci"; fi
}
trap cleanup EXIT
rm -rf "$bundle" "$work/oci"
skopeo copy --quiet "docker-archive:$image" "oci:$work/oci:clusterpool"
umoci unpack --image "$work/oci:clusterpool" "$bundle" >/dev/null
# the runtime config that umoci derived from the image: the process a container runtime would start
mapfile -t entrypoint < <(jq -r '.process.args[]' "$bundle/config.json")
mapfile -t image_env < <(jq -r '.process.env[]' "$bundle/config.json")
uid="$(jq -r '.process.user.uid' "$bundle/config.json")"
gid="$(jq -r '.process.user.gid' "$bundle/config.json")"
cwd="$(jq -r '.process.cwd' "$bundle/config.json")"
echo "verify-image:   process: ${entrypoint[*]} (uid $uid, gid $gid, in $cwd)"
# what a runtime gives a container: /proc, and the few devices a JVM opens
not_here="the image was built and its config is right, but its entrypoint cannot be run here"
mount -t proc proc "$rootfs/proc" || skip "cannot mount /proc in the chroot (an unprivileged container?): $not_here"
mounted=true
for dev in null:1:3 zero:1:5 random:1:8 urandom:1:9; do
  IFS=: read -r name major minor <<<"$dev"
  [ -e "$rootfs/dev/$name" ] || mknod -m 666 "$rootfs/dev/$name" c "$major" "$minor" \
    || skip "cannot make /dev/$name in the chroot: $not_here"
done
# what Kubernetes mounts for the pod's service account; there is no API server here, so discovery fails (that is
# expected: the node must still start, stay alive, and stay unready)
# Written from inside the chroot: the image's /var/run is a symlink to /run, which must resolve in the image,
# never on this machine.
ca="$(openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=no API server here" \
  -keyout /dev/null 2>/dev/null)"
chroot "$rootfs" /bin/sh -c 'd=/var/run/secrets/kubernetes.io/serviceaccount && mkdir -p "$d" &&
  cat > "$d/ca.crt" && printf no-token > "$d/token" && printf clusterpool > "$d/namespace"' <<<"$ca"
[ -s "$rootfs/run/secrets/kubernetes.io/serviceaccount/ca.crt" ] || fail "no service account files in the image"
# the Secret clusterpool-tls that the Deployments mount (README, "Security"): the members speak mutual TLS, and a
# member without its certificate refuses to start. Its files belong to the image's user, the key mode 0600.
tls="$work/tls" && rm -rf "$tls" && mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=clusterpool CA" -keyout "$tls/ca.key" -out "$tls/ca.crt" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null \
  && openssl req -newkey rsa:2048 -nodes -subj "/CN=clusterpool" -keyout "$tls/tls.key" -out "$tls/tls.csr" 2>/dev/null \
  && printf 'subjectAltName=DNS:clusterpool\nextendedKeyUsage=serverAuth,clientAuth\n' > "$tls/member.ext" \
  && openssl x509 -req -in "$tls/tls.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 1 \
    -extfile "$tls/member.ext" -out "$tls/tls.crt" 2>/dev/null \
  || fail "openssl could not make the members' test certificate"
for file in tls.key tls.crt ca.crt; do
  chroot "$rootfs" /bin/sh -c 'd=/var/run/secrets/clusterpool-tls && mkdir -p "$d" && cat > "$d/$0"' "$file" <"$tls/$file"
done
secret="$rootfs/run/secrets/clusterpool-tls"
[ -s "$secret/tls.key" ] || fail "no TLS Secret files in the image"
chown -R "$uid:$gid" "$secret" && chmod 600 "$secret/tls.key" && chmod 644 "$secret/tls.crt" "$secret/ca.crt"
took

# in_image ENV... -- ARGS...: sets cmd to a command that runs ARGS in the chroot as the image's user, with the
# image's environment and ENV; chroot, env and sh each exec the next, so the command's PID is the JVM's.
in_image() {
  local env=("${image_env[@]}")
  while [ "$1" != "--" ]; do env+=("$1"); shift; done
  shift
  cmd=(chroot --userspec="$uid:$gid" "$rootfs" /usr/bin/env -i "${env[@]}" sh -c 'cd "$0" && exec "$@"' "$cwd" "$@")
}

main_at=-1
for i in "${!entrypoint[@]}"; do [ "${entrypoint[$i]}" = org.clusterpool.coordinator.cli.Main ] && main_at=$i; done
[ "$main_at" -ge 0 ] || fail "no main class in the entrypoint"
java_cmd=("${entrypoint[@]:0:$main_at}")   # java, its flags and the class path
main_cmd=("${entrypoint[@]:0:$main_at+1}") # ... and the main class: the image's entrypoint without its default command

step "the entrypoint with --help"
in_image -- "${main_cmd[@]}" --help
help_out="$("${cmd[@]}" 2>&1)" || fail "--help failed: $help_out"
echo "$help_out" | grep -v "JAVA_TOOL_OPTIONS" | head -3 | sed 's/^/verify-image:   | /'
echo "$help_out" | grep -q "Usage: clusterpool" || fail "--help printed no usage"
took

# The node: the image's default command (`node --config kubernetes`) when this build's CLI has that command; else
# the same java and class path with the node's own main class, org.clusterpool.node.NodeMain.
step "a node started from the entrypoint"
in_image -- "${main_cmd[@]}" node --help
if "${cmd[@]}" 2>&1 | grep -q "Usage: clusterpool node"; then
  node_cmd=("${entrypoint[@]}")
else
  echo "verify-image:   (this build's CLI has no 'node' command yet: running org.clusterpool.node.NodeMain with the entrypoint's java and class path)"
  node_cmd=("${java_cmd[@]}" org.clusterpool.node.NodeMain --config kubernetes --port 25520)
fi
ip=127.0.0.7 # a loopback address of its own, as a pod has its own IP; the image's default ports
for port in 25520 7626; do
  if (exec 3<>"/dev/tcp/$ip/$port") 2>/dev/null; then fail "something already listens on $ip:$port"; fi
done
log="$work/node.log"
in_image CLUSTERPOOL_HOSTNAME=$ip "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75 -Dclusterpool.log.level=INFO" -- "${node_cmd[@]}"
"${cmd[@]}" >"$log" 2>&1 &
node_pid=$!
deadline=$((SECONDS + 120))
until grep -q "Started up successfully" "$log" && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ip:7626/alive")" = 200 ]; do
  kill -0 "$node_pid" 2>/dev/null || { tail -30 "$log" >&2; fail "the node exited (see $log)"; }
  [ $SECONDS -lt $deadline ] || { tail -30 "$log" >&2; fail "the node did not start within 120 s (see $log)"; }
  sleep 1
done
grep -m1 "Started up successfully" "$log" | sed 's/^/verify-image:   | /'
grep -m1 "Bound Pekko Management" "$log" | sed 's/^/verify-image:   | /'
grep -q "Initiating bootstrap procedure using kubernetes-api" "$log" || fail "the node did not start Cluster Bootstrap over the Kubernetes API"
echo "verify-image:   ok: /alive answers 200 as user $(ps -o user= -p "$node_pid" | tr -d ' ') ($(ps -o uid= -p "$node_pid" | tr -d ' '))"
[ "$(ps -o uid= -p "$node_pid" | tr -d ' ')" = "$uid" ] || fail "the node does not run as uid $uid"
ready="$(curl -s -o /dev/null -w '%{http_code}' "http://$ip:7626/ready")"
[ "$ready" != 200 ] || fail "/ready answered 200 without a cluster"
echo "verify-image:   ok: /ready answers $ready: not a member of a cluster, so Kubernetes would send it nothing"
kill -TERM "$node_pid"
deadline=$((SECONDS + 90))
while kill -0 "$node_pid" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || fail "the node did not end within 90 s of SIGTERM"
  sleep 1
done
node_pid=
echo "verify-image:   ok: SIGTERM: the node ended by itself"
took

# ---- 5. your own tasks in the image: Jib's extraDirectories puts a jar in /app/tasks, and a node reads it there
step "an image with examples/cube-task's jar in /app/tasks (jib extraDirectories)"
(cd "$root" && ./mvnw -B -q -pl examples/cube-task -am -DskipTests package) >"$work/cube-task.log" 2>&1 \
  || { tail -30 "$work/cube-task.log" >&2; fail "the example's jar did not build (see $work/cube-task.log)"; }
task_jar="$root/examples/cube-task/target/cube-task.jar"
extra="$work/image-tasks"
rm -rf "$extra" && mkdir -p "$extra/app/tasks" && cp "$task_jar" "$extra/app/tasks/"
tasks_image="$work/clusterpool-cube-task-image.tar"
(cd "$root" && ./mvnw -B -q -pl coordinator/app -am -DskipTests package jib:buildTar \
  -Djib.containerize=org.clusterpool:clusterpool-app \
  -Djib.from.image="tar://$base" \
  -Djib.to.image=clusterpool-cube-task:0.1.0-SNAPSHOT \
  -Djib.outputPaths.tar="$tasks_image" \
  -Djib.extraDirectories.paths="$extra" \
  -Djib.disableUpdateChecks=true) >"$work/jib-tasks.log" 2>&1 \
  || { tail -30 "$work/jib-tasks.log" >&2; fail "jib:buildTar with the tasks failed (see $work/jib-tasks.log)"; }
layers="$work/tasks-layers"
rm -rf "$layers" && mkdir -p "$layers"
skopeo copy --quiet "docker-archive:$tasks_image" "dir:$layers"
holder=""
for blob in "$layers"/*; do
  if tar -tf "$blob" 2>/dev/null | grep -qx 'app/tasks/cube-task.jar'; then holder="$blob"; fi
done
[ -n "$holder" ] || fail "no layer of $tasks_image holds app/tasks/cube-task.jar"
tar -xf "$holder" -C "$layers" app/tasks/cube-task.jar
cmp -s "$layers/app/tasks/cube-task.jar" "$task_jar" || fail "the image's /app/tasks/cube-task.jar is not the example's jar"
echo "verify-image:   ok: the image built with -Djib.extraDirectories.paths holds the example's jar as /app/tasks/cube-task.jar"
# a node of the image finds it there: the same jar where that layer puts it, in the chroot of step 4
mkdir -p "$rootfs/app/tasks" && cp "$task_jar" "$rootfs/app/tasks/" && chmod 644 "$rootfs/app/tasks/cube-task.jar"
tasks_log="$work/node-tasks.log"
in_image CLUSTERPOOL_HOSTNAME=$ip "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75" -- "${node_cmd[@]}"
"${cmd[@]}" >"$tasks_log" 2>&1 &
node_pid=$!
deadline=$((SECONDS + 120))
until grep -q "2 of your own: cube, volume" "$tasks_log"; do
  kill -0 "$node_pid" 2>/dev/null || { tail -30 "$tasks_log" >&2; fail "the node with the tasks exited (see $tasks_log)"; }
  [ $SECONDS -lt $deadline ] || { tail -30 "$tasks_log" >&2; fail "the node did not say within 120 s that it runs the example's tasks"; }
  sleep 1
done
grep -m1 "of your own" "$tasks_log" | sed 's/^/verify-image:   | /'
echo "verify-image:   ok: a node started with --config kubernetes runs the tasks of /app/tasks"
kill -TERM "$node_pid"
deadline=$((SECONDS + 90))
while kill -0 "$node_pid" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || fail "the node with the tasks did not end within 90 s of SIGTERM"
  sleep 1
done
node_pid=
took

echo "verify-image: the image is proven in $((SECONDS - started)) s: $image"
