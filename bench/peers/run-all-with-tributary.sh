#!/usr/bin/env bash
# Node-RED, n8n and Tributary, interleaved, on the shared peer harness: one comparison run.
#   bash bench/peers/run-all-with-tributary.sh [WORKDIR] [REPEAT]
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PEERS_DIR=${PEERS_DIR:-$(cd "$REPO/../shared/bench/peers" && pwd)}
WORKDIR=${1:-/tmp/peers}
REPEAT=${2:-1}
[ -d "$WORKDIR/nodered" ] && [ -d "$WORKDIR/n8n" ] || bash "$PEERS_DIR/setup.sh" "$WORKDIR" all
for ((r = 1; r <= REPEAT; r++)); do
  bash "$PEERS_DIR/run-nodered.sh" "$WORKDIR"
  bash "$PEERS_DIR/run-n8n.sh" "$WORKDIR" regular set
  PEERS_DIR=$PEERS_DIR bash "$REPO/bench/peers/run-tributary.sh" "$WORKDIR"
done
