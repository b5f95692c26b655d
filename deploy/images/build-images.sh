#!/usr/bin/env bash
# Builds the five service images, ghcr.io/faultline/<service>:<tag>, as `docker save`
# tarballs, with Quarkus' Jib extension and without a Docker daemon or a
# container registry:
#   - the base image is a tarball built from Debian packages
#     (build-base-image.sh), given to Jib as tar://;
#   - `quarkus:image-build -Dquarkus.container-image.builder=jib` adds the Jib
#     extension to the build by itself, so no service pom changes;
#   - Jib's "docker load" goes to docker-to-tar, which writes the tarball.
# Load a result with `docker load -i`, `kind load image-archive`,
# `k3s ctr images import` or `skopeo copy docker-archive:...`.
#
# Usage: deploy/images/build-images.sh [service...]   (default: all five)
# The tag is deploy/images/TAG, <release>-g<commit>, which the manifests and
# docker-compose.yml name too (the deploy module's OperabilityTest keeps them
# equal): the build refuses to run when the services' sources differ from that
# commit's, so that one tag never names two different builds. For a new build,
# commit, then write the new tag into deploy/images/TAG and the files that
# name it (docs/operations.md, "Images").
#
# Environment: FAULTLINE_IMAGE_TAG (overrides deploy/images/TAG and its check),
# FAULTLINE_IMAGE_REGISTRY (ghcr.io), FAULTLINE_IMAGE_DIR
# (deploy/images/target), FAULTLINE_BASE_IMAGE (<image dir>/jre17-base.tar),
# FAULTLINE_MAVEN_ARGS (extra Maven arguments, e.g. -Dmaven.repo.local=...).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
if [[ -n ${FAULTLINE_IMAGE_TAG:-} ]]; then
  tag=$FAULTLINE_IMAGE_TAG
else
  tag=$(<"$root/deploy/images/TAG")
  commit=${tag##*-g}
  # everything that goes into an image: the parent pom, the shared schemas and the services
  if ! git -C "$root" diff --quiet "$commit" -- pom.xml schemas \
      ingest-service classifier-service resolver-service impact-service dashboard-api; then
    echo "build-images.sh: the sources differ from commit $commit, which tag $tag names" >&2
    echo "  (deploy/images/TAG); commit them and tag the images with the new commit" >&2
    exit 1
  fi
fi
out=${FAULTLINE_IMAGE_DIR:-$root/deploy/images/target}
base=${FAULTLINE_BASE_IMAGE:-$out/jre17-base.tar}
services=("$@")
if [[ ${#services[@]} -eq 0 ]]; then
  services=(ingest-service classifier-service resolver-service impact-service dashboard-api)
fi
mkdir -p "$out"
[[ -f "$base" ]] || "$root/deploy/images/build-base-image.sh" "$base"

cd "$root"
modules=$(IFS=,; echo "${services[*]}")
# shellcheck disable=SC2206
extra=(${FAULTLINE_MAVEN_ARGS:-})
# 1. compile and package the services and what they depend on
./mvnw -B -q "${extra[@]}" install -DskipTests -Dspotless.check.skip=true -pl "$modules" -am
# 2. the image of each service (image-build runs the Quarkus build with Jib)
./mvnw -B "${extra[@]}" quarkus:image-build -pl "$modules" \
  -Dquarkus.container-image.builder=jib \
  -Dquarkus.container-image.registry="${FAULTLINE_IMAGE_REGISTRY:-ghcr.io}" \
  -Dquarkus.container-image.group=faultline \
  -Dquarkus.container-image.tag="$tag" \
  -Dquarkus.jib.base-jvm-image="tar://$base" \
  -Dquarkus.jib.user=185 \
  -Dquarkus.jib.docker-executable-name="$root/deploy/images/docker-to-tar" \
  -Dquarkus.jib.docker-environment.FAULTLINE_IMAGE_DIR="$out" \
  -Dquarkus.jib.use-current-timestamp=false \
  -Dquarkus.jib.use-current-timestamp-file-modification=false
ls -l "$out"/*faultline_*.tar
