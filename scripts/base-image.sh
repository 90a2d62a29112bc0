#!/usr/bin/env bash
# Builds the local Python base image that tests package models onto (no registry is reachable
# here, so `FROM python:3.11-slim` cannot be pulled). Debian bookworm's python3 3.11 with
# scikit-learn 1.2.1, numpy, pandas, joblib and pytest, the same versions as /usr/bin/python3
# on these machines. The image is labelled with a hash of this recipe and rebuilt only when the
# recipe changes.
set -euo pipefail

IMAGE="${GREENHOUSE_BASE_IMAGE:-greenhouse/python-base:bookworm}"
PACKAGES="python3-minimal,python3-sklearn,python3-joblib,python3-numpy,python3-pandas,python3-pytest"
EXCLUDES=('/usr/share/doc/*' '/usr/share/man/*' '/usr/share/locale/*' '/usr/include/*' '/usr/share/info/*')
RECIPE="bookworm essential ${PACKAGES} ${EXCLUDES[*]} v1"
HASH=$(printf '%s' "$RECIPE" | sha256sum | cut -c1-16)

current=$(docker image inspect "$IMAGE" --format '{{ index .Config.Labels "io.greenhouse.recipe" }}' 2>/dev/null || true)
if [ "$current" = "$HASH" ]; then
  echo "base image $IMAGE is up to date (recipe $HASH)"
  exit 0
fi

command -v mmdebstrap >/dev/null || { echo "mmdebstrap is missing: apt-get install -y mmdebstrap" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkgopts=()
for p in "${EXCLUDES[@]}"; do dpkgopts+=("--dpkgopt=path-exclude=$p"); done

echo "building base image $IMAGE (recipe $HASH) with mmdebstrap…"
mmdebstrap --quiet --variant=essential --include="$PACKAGES" "${dpkgopts[@]}" bookworm "$work/base.tar"
docker import \
  --change "LABEL io.greenhouse.recipe=$HASH" \
  --change "LABEL org.opencontainers.image.description=\"Greenhouse test base: Debian bookworm python3 with scikit-learn\"" \
  --change "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 LANG=C.UTF-8" \
  --change 'CMD ["python3"]' \
  "$work/base.tar" "$IMAGE" >/dev/null
docker run --rm --network none "$IMAGE" python3 -c 'import sklearn, numpy, pandas, joblib, pytest; print("base image ok: scikit-learn", sklearn.__version__)'
