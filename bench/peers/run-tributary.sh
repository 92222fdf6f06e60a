#!/usr/bin/env bash
# Lead-ingest benchmark against Tributary, on the peer harness of shared/bench/peers
# (same Postgres settings, same wrk script and load, same accounting), so Tributary,
# Node-RED and n8n are compared in one run:
#
#   npm run build                                   # once, in the repository
#   bash bench/peers/run-tributary.sh [WORKDIR]     # default /tmp/peers
#   PEERS_DIR=../shared/bench/peers bash bench/peers/run-all-with-tributary.sh [WORKDIR] [REPEAT]
#
# Differences from the peers, by design: Tributary acknowledges a delivery once it is
# committed to its durable inbox (runs table), and writes the customer afterwards on a
# worker; so after the load this script waits until every run has finished before it
# verifies. The customer lands in Tributary's own store (customers + customer_identities),
# not in the harness's `customers(phone, …)` table, and its verification checks that
# every acknowledged delivery became a succeeded run and a normalized identity.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PEERS_DIR=${PEERS_DIR:-$(cd "$REPO/../shared/bench/peers" 2>/dev/null && pwd || true)}
[ -f "$PEERS_DIR/common.sh" ] || { echo "peer harness not found: set PEERS_DIR to shared/bench/peers" >&2; exit 2; }
BENCH_DIR=$PEERS_DIR
source "$PEERS_DIR/common.sh"

WORKDIR_ARG=${1:-/tmp/peers}
mkdir -p "$WORKDIR_ARG"
bench_init tributary "$WORKDIR_ARG"
TRIB_PORT=${TRIB_PORT:-18803}
[ -f "$REPO/apps/api/dist/main.js" ] || die "Tributary is not built: run npm run build in $REPO"
command -v redis-server >/dev/null || die "redis-server not installed"

pg_start
PSQL -c "create database tributary"
redis_start

TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/tributary" REDIS_URL="redis://127.0.0.1:$REDISPORT" \
  PORT=$TRIB_PORT HOST=127.0.0.1 TRIBUTARY_ADMIN_TOKEN=$TOKEN TRIBUTARY_SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
  TRIBUTARY_FLOWS_DIR="$REPO/flows" LOG_LEVEL=warn WORKER_CONCURRENCY=${WORKER_CONCURRENCY:-200}
log "tributary $(node -p "require('$REPO/package.json').version"), node $($NODE -v), worker concurrency $WORKER_CONCURRENCY"

T_START=$(date +%s.%N)
"$NODE" $NODE_ARGS "$REPO/apps/api/dist/main.js" > "$RUN/api.log" 2>&1 &
API_PID=$!
remember_pid "$API_PID" peer-tributary-api
wait_http "http://127.0.0.1:$TRIB_PORT/api/health" 120 || { tail -50 "$RUN/api.log"; die "the API did not come up"; }
"$NODE" $NODE_ARGS "$REPO/apps/worker/dist/main.js" > "$RUN/worker.log" 2>&1 &
WORKER_PID=$!
remember_pid "$WORKER_PID" peer-tributary-worker
curl -sf -X POST -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{}' \
  "http://127.0.0.1:$TRIB_PORT/api/flows/lead-intake/publish" > /dev/null || die "publishing lead-intake failed"
URL="http://127.0.0.1:$TRIB_PORT/hooks/lead-intake/webhook"
code=$(curl -s -o "$RUN/smoke.json" -w '%{http_code}' -m 10 -H 'Content-Type: application/json' \
  -d '{"phone": "+86 138-0013-8001", "email": "A@B.com", "name": "张三", "source": "form", "campaign": "c1"}' "$URL")
[ "$code" = 202 ] || { cat "$RUN/smoke.json"; tail -30 "$RUN/api.log"; die "smoke request got HTTP $code"; }
READY_S=$(awk -v a="$T_START" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
log "ready (first 202) after ${READY_S}s; smoke: $(cat "$RUN/smoke.json")"

start_rss_sampler "$API_PID" "$WORKER_PID"
run_load "$URL" "$API_PID" "$WORKER_PID"
T_LOAD_END=$(date +%s.%N)
# Acknowledged = stored; the customers are written by the worker: wait for it to finish.
for ((i = 0; i < 3000; i++)); do
  [ "$(PSQL -d tributary -At -c "select count(*) from runs where status in ('queued','running')")" = 0 ] && break
  sleep 0.2
done
DRAIN_S=$(awk -v a="$T_LOAD_END" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
HWM_MB=$(( $(tree_hwm_kb "$API_PID" "$WORKER_PID") / 1024 ))
stop_peer "$API_PID" "$WORKER_PID"
RSS_KB=$(cat "$RUN/rss-max-kb" 2>/dev/null || echo 0)

ACKED=$((WARM_OK + WRK_OK + 1))
read -r RUNS OK FAILED < <(PSQL -d tributary -At -F ' ' -c \
  "select count(*), count(*) filter (where status='succeeded'), count(*) filter (where status='failed') from runs")
SPAN=$(PSQL -d tributary -At -c "select round(extract(epoch from max(finished_at) - min(created_at))::numeric, 1) from runs")
ROWS=$(PSQL -d tributary -At -c "select count(*) from customers")
BAD=$(PSQL -d tributary -At -c "select count(*) from customer_identities where type='phone' and value !~ '^\+86[0-9]{11}\$'")
EVENTS=$(PSQL -d tributary -At -c "select count(*) from customer_events")
DUP_EVENTS=$(PSQL -d tributary -At -c "select count(*) - count(distinct run_id) from customer_events")
# The harness's accounting: every acknowledged delivery "landed" when its run succeeded.
LANDED=$OK INS=$ROWS UPD=$((OK - ROWS)) DEL=0
ROWS_OK=yes
[ "$OK" -ge "$ACKED" ] || ROWS_OK=no
[ "$FAILED" -eq 0 ] || ROWS_OK=no
[ "$BAD" -eq 0 ] || ROWS_OK=no
[ "$DUP_EVENTS" -eq 0 ] || ROWS_OK=no
log "verify: acked=$ACKED runs=$RUNS succeeded=$OK failed=$FAILED customers=$ROWS events=$EVENTS duplicate_events=$DUP_EVENTS bad_phones=$BAD drain_after_load_s=$DRAIN_S -> rows_ok=$ROWS_OK"
print_summary tributary "$RSS_KB"
echo "detail peer=tributary completed_per_s=$(awk -v n="$OK" -v s="$SPAN" 'BEGIN{printf "%.0f", (s > 0 ? n / s : 0)}') drain_after_load_s=$DRAIN_S runs=$RUNS customers=$ROWS" >&2
