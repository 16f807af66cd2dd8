#!/usr/bin/env bash
# Certificates for clusters without cert-manager: creates (or reuses) a
# self-signed CA, issues the webhook's serving certificate, stores it in the
# Secret railyard-tls, and patches the CA into the webhook's caBundle.
#
#   deploy/scripts/self-signed-certs.sh [--dir DIR] [--namespace NS] [--days N] [--apply]
#
#   --dir DIR     where the CA is kept (default: ./railyard-ca). Keep it: re-running
#                 the script with the same CA renews the serving certificate without
#                 changing the caBundle, so nothing fails during the renewal.
#   --namespace   the webhook's namespace (default: railyard).
#   --days N      validity of the serving certificate (default: 365).
#   --apply       also `kubectl apply -k deploy/base` (first install), between
#                 creating the Secret and patching the caBundle.
#
# Needs openssl and kubectl with access to the cluster.
set -euo pipefail

DIR=./railyard-ca
NS=railyard
DAYS=365
APPLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR="${2:?--dir needs a directory}"; shift ;;
    --namespace) NS="${2:?--namespace needs a name}"; shift ;;
    --days) DAYS="${2:?--days needs a number}"; shift ;;
    --apply) APPLY=1 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "self-signed-certs.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
command -v openssl >/dev/null || { echo "openssl is required" >&2; exit 2; }
command -v kubectl >/dev/null || { echo "kubectl is required" >&2; exit 2; }
SVC=railyard
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

mkdir -p "$DIR"
chmod 700 "$DIR"
if [ ! -s "$DIR/ca.key" ] || [ ! -s "$DIR/ca.crt" ]; then
  echo "creating a CA in $DIR (10 years)"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$DIR/ca.key" -out "$DIR/ca.crt" -days 3650 \
    -subj "/CN=railyard-webhook-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
else
  echo "reusing the CA in $DIR"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/ext.cnf" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:$SVC.$NS.svc,DNS:$SVC.$NS.svc.cluster.local
EXT
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$work/tls.key" -out "$work/tls.csr" -subj "/CN=$SVC.$NS.svc" 2>/dev/null
openssl x509 -req -in "$work/tls.csr" -CA "$DIR/ca.crt" -CAkey "$DIR/ca.key" -CAcreateserial \
  -out "$work/tls.crt" -days "$DAYS" -extfile "$work/ext.cnf" 2>/dev/null
echo "issued a serving certificate for $SVC.$NS.svc ($DAYS days)"

kubectl get namespace "$NS" >/dev/null 2>&1 || kubectl create namespace "$NS"
kubectl -n "$NS" create secret generic railyard-tls \
  --from-file=tls.crt="$work/tls.crt" --from-file=tls.key="$work/tls.key" --from-file=ca.crt="$DIR/ca.crt" \
  --dry-run=client -o yaml | kubectl apply -f -

if [ "$APPLY" = 1 ]; then
  kubectl apply -k "$HERE/../base"
fi

if kubectl get validatingwebhookconfiguration railyard >/dev/null 2>&1; then
  bundle="$(base64 < "$DIR/ca.crt" | tr -d '\n')"
  kubectl patch validatingwebhookconfiguration railyard --type=json \
    -p "[{\"op\": \"add\", \"path\": \"/webhooks/0/clientConfig/caBundle\", \"value\": \"$bundle\"}]"
  echo "caBundle patched"
else
  echo "no ValidatingWebhookConfiguration railyard yet: run with --apply, or apply deploy/base and run again" >&2
fi
if [ "$APPLY" = 1 ]; then
  kubectl -n "$NS" rollout status deployment/railyard --timeout=120s
fi
