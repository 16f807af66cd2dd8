#!/usr/bin/env bash
# Copies the built-in Kubernetes rules (policies/kubernetes/*.rego, tests left
# out) into deploy/base/policies/ and lists them in deploy/base/kustomization.yaml,
# whose configMapGenerator turns them into the webhook's policy ConfigMap.
# kustomize reads no file outside its directory, hence the copy;
# tests/it/webhook.rs fails when the copy or the list drifts.
# The helper library (policies/lib/) is not copied: `policy serve -p DIR` adds
# the embedded helpers itself.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=deploy/base/policies
kustomization=deploy/base/kustomization.yaml
mkdir -p "$dest"
find "$dest" -maxdepth 1 -name '*.rego' -delete
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
for f in policies/kubernetes/*.rego; do
  case "$f" in *_test.rego) continue ;; esac
  cp "$f" "$dest/"
  echo "      - policies/$(basename "$f")" >> "$list"
done
awk -v list="$list" '
  /# BEGIN policies/ { print; while ((getline line < list) > 0) print line; skip = 1; next }
  /# END policies/   { skip = 0 }
  !skip              { print }
' "$kustomization" > "$kustomization.tmp"
mv "$kustomization.tmp" "$kustomization"
echo "synced $(wc -l < "$list" | tr -d ' ') policies into $dest and $kustomization"
