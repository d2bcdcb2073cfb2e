#!/bin/sh
# One-shot bucket set-up for docker-compose.yml (service "minio-init", image minio/mc).
# Idempotent: creates $S3_BUCKET when missing and keeps it private (the app hands out presigned
# URLs). Exits non-zero on failure, so the app instances (which wait for this) do not start.
set -eu
: "${S3_BUCKET:?}" "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}"
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null; then
    break
  fi
  echo "minio not reachable yet (attempt $attempt)"
  sleep 2
done
mc mb --ignore-existing "local/$S3_BUCKET"
mc anonymous set none "local/$S3_BUCKET"
echo "bucket $S3_BUCKET ready"
