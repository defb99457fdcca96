#!/bin/bash
# monsaas-host-metrics: one sample of this host's own health, written as CloudWatch embedded metric
# format (EMF) lines to the CloudWatch agent (UDP 127.0.0.1:25888), which turns them into metrics.
# A systemd timer runs it every minute. Settings come from the environment (EnvironmentFile):
#   ENVIRONMENT ROLE HOST_NAME NAMESPACE LOG_GROUP       who is speaking, where the metrics go
#   PROCESSES="keepalived redis-server"                   process names counted (pgrep -x)
#   ACCOUNTING_CHAINS="MONSAAS-ACCT-IN MONSAAS-ACCT-OUT"  iptables chains read and zeroed
#   REDIS_SHARD REDIS_NODE REDIS_CLI VIP                  Redis nodes only
#   REDIS_PASSWORD_FILE                                   read into REDISCLI_AUTH (never on a command line)
#   UNBOUND_CONTROL                                       resolvers only
#   PROC_ROOT STATE_DIR EMF_SINK                          tests point these elsewhere
# Kernel and Unbound counters are cumulative: the script keeps the last reading in STATE_DIR and
# publishes the difference, so each datapoint is "events in the last interval" (a reset counts from 0).
set -uo pipefail

: "${ENVIRONMENT:?ENVIRONMENT is required}" "${ROLE:?ROLE is required}" "${HOST_NAME:?HOST_NAME is required}"
NAMESPACE=${NAMESPACE:-MonSaaS/Hosts}
LOG_GROUP=${LOG_GROUP:-}
PROC_ROOT=${PROC_ROOT:-/proc}
STATE_DIR=${STATE_DIR:-/var/lib/monsaas-host-metrics}
EMF_SINK=${EMF_SINK:-udp}
PROCESSES=${PROCESSES:-}
ACCOUNTING_CHAINS=${ACCOUNTING_CHAINS:-}
REDIS_SHARD=${REDIS_SHARD:-}
REDIS_NODE=${REDIS_NODE:-}
REDIS_CLI=${REDIS_CLI:-}
VIP=${VIP:-}
UNBOUND_CONTROL=${UNBOUND_CONTROL:-}

mkdir -p "$STATE_DIR"
NOW_MS=$(( $(date +%s) * 1000 ))

# emit DIMENSION_SETS EXTRA_FIELDS NAME UNIT VALUE [NAME UNIT VALUE ...]
#   DIMENSION_SETS: JSON array of arrays of dimension names; EXTRA_FIELDS: JSON members (or "") for
#   dimensions beyond Environment/Role/Host (e.g. "Process":"unbound").
emit() {
  local dimsets=$1 extra=$2; shift 2
  local defs="" values="" sep=""
  while [ $# -ge 3 ]; do
    defs+="$sep{\"Name\":\"$1\",\"Unit\":\"$2\"}"
    values+=",\"$1\":$3"
    sep=","
    shift 3
  done
  [ -n "$defs" ] || return 0
  local group=""
  [ -n "$LOG_GROUP" ] && group="\"LogGroupName\":\"$LOG_GROUP\","
  local shard=""
  [ -n "$REDIS_SHARD" ] && shard=",\"Shard\":\"$REDIS_SHARD\",\"Node\":\"$REDIS_NODE\""
  [ -n "$extra" ] && extra=",$extra"
  local line="{\"_aws\":{\"Timestamp\":$NOW_MS,$group\"CloudWatchMetrics\":[{\"Namespace\":\"$NAMESPACE\",\"Dimensions\":$dimsets,\"Metrics\":[$defs]}]},\"Environment\":\"$ENVIRONMENT\",\"Role\":\"$ROLE\",\"Host\":\"$HOST_NAME\"$shard$extra$values}"
  if [ "$EMF_SINK" = udp ]; then
    printf '%s\n' "$line" > /dev/udp/127.0.0.1/25888
  else
    printf '%s\n' "$line" >> "$EMF_SINK"
  fi
}

# delta KEY CURRENT: prints CURRENT minus the last reading of KEY (nothing on the first reading).
delta() {
  local file="$STATE_DIR/$1" previous
  if [ -f "$file" ]; then
    previous=$(cat "$file")
    echo "$2" > "$file"
    if [ "$2" -ge "$previous" ]; then echo $(( $2 - previous )); else echo "$2"; fi
  else
    echo "$2" > "$file"
  fi
}

# Process counts per host, per fleet, and for Redis per shard node (alarms know shard and node from config).
PROCESS_DIMS='[["Environment","Role","Host","Process"],["Environment","Role","Process"]]'
if [ -n "$REDIS_SHARD" ]; then
  PROCESS_DIMS='[["Environment","Role","Host","Process"],["Environment","Role","Process"],["Environment","Shard","Node","Process"]]'
fi

# --- kernel TCP counters: /proc/net/netstat and /proc/net/snmp hold "Prefix: names" / "Prefix: values" pairs
proc_counters() {
  awk '{ if (seen[$1]++) { for (i = 2; i <= NF; i++) print substr($1, 1, length($1) - 1) "." name[$1, i], $i }
         else { for (i = 2; i <= NF; i++) name[$1, i] = $i } }' "$PROC_ROOT/net/netstat" "$PROC_ROOT/net/snmp"
}
tcp_metrics=()
while read -r counter metric; do
  value=$(proc_counters | awk -v c="$counter" '$1 == c { print $2; exit }')
  [ -n "$value" ] || continue
  d=$(delta "$counter" "$value")
  [ -n "$d" ] && tcp_metrics+=("$metric" Count "$d")
done <<'COUNTERS'
Tcp.RetransSegs TcpRetransmittedSegments
Tcp.OutSegs TcpSentSegments
Tcp.AttemptFails TcpFailedConnectionAttempts
TcpExt.TCPSynRetrans TcpSynRetransmits
TcpExt.TCPTimeouts TcpTimeouts
COUNTERS
emit '[["Environment","Role","Host"],["Environment","Role"]]' "" "${tcp_metrics[@]}"

# --- process counts (keepalived runs as a parent plus VRRP/checker children: healthy is >= 2)
for process in $PROCESSES; do
  count=$(pgrep -c -x "$process" 2>/dev/null); count=${count:-0}
  emit "$PROCESS_DIMS" "\"Process\":\"$process\"" ProcessCount Count "$count"
done

# --- iptables accounting chains: list and zero in one call, so each reading is "since the last one";
#     an AZ with several subnets has one rule per subnet under one name: summed here
for chain in $ACCOUNTING_CHAINS; do
  iptables -w -t filter -nvxL "$chain" -Z 2>/dev/null |
    awk 'match($0, /\/\* [^ ]+ \*\//) { flow = substr($0, RSTART + 3, RLENGTH - 6); p[flow] += $1; b[flow] += $2 }
         END { for (flow in p) print flow, p[flow], b[flow] }' |
    while read -r flow packets bytes; do
      emit '[["Environment","Role","Host","Flow"],["Environment","Role","Flow"]]' "\"Flow\":\"$flow\"" \
        AccountedBytes Bytes "$bytes" AccountedPackets Count "$packets"
    done
done

# --- Redis: INFO fields (memory, clients, role, replication link, keys) and whether this node holds the VIP
if [ -n "$REDIS_CLI" ]; then
  if [ -n "${REDIS_PASSWORD_FILE:-}" ] && [ -r "$REDIS_PASSWORD_FILE" ]; then
    REDISCLI_AUTH=$(cat "$REDIS_PASSWORD_FILE"); export REDISCLI_AUTH
  fi
  SHARD_DIMS='[["Environment","Shard","Node"],["Environment","Shard"]]'
  if info=$($REDIS_CLI INFO 2>/dev/null | tr -d '\r') && [ -n "$info" ]; then
    field() { printf '%s\n' "$info" | awk -F: -v k="$1" '$1 == k { print $2; exit }'; }
    used=$(field used_memory); max=$(field maxmemory); clients=$(field connected_clients); role=$(field role)
    keys=$(printf '%s\n' "$info" | awk -F'[:=,]' '/^db[0-9]+:keys=/ { sum += $3 } END { print sum + 0 }')
    percent=0
    [ "${max:-0}" -gt 0 ] && percent=$(awk -v u="$used" -v m="$max" 'BEGIN { printf "%.2f", 100 * u / m }')
    is_master=0; [ "$role" = master ] && is_master=1
    redis_metrics=(RedisUp Count 1 RedisUsedMemory Bytes "${used:-0}" RedisMemoryUsedPercent Percent "$percent"
      RedisConnectedClients Count "${clients:-0}" RedisIsMaster Count "$is_master" RedisKeys Count "$keys")
    if [ "$role" = slave ]; then
      link=0; [ "$(field master_link_status)" = up ] && link=1
      redis_metrics+=(RedisMasterLinkUp Count "$link")
    fi
    emit "$SHARD_DIMS" "" "${redis_metrics[@]}"
  else
    emit "$SHARD_DIMS" "" RedisUp Count 0
  fi
  if [ -n "$VIP" ]; then
    held=0
    # grep without -q reads all of ip's output: with pipefail, ip killed by SIGPIPE after an early match
    # would fail the pipeline and report the VIP as not held.
    ip -o -4 addr show 2>/dev/null | grep -F " $VIP/" >/dev/null && held=1
    emit "$SHARD_DIMS" "" VipHeld Count "$held"
  fi
fi

# --- Unbound: query, SERVFAIL, NXDOMAIN and cache counters (extended-statistics: yes gives the rcodes)
if [ -n "$UNBOUND_CONTROL" ]; then
  if stats=$($UNBOUND_CONTROL stats_noreset 2>/dev/null) && [ -n "$stats" ]; then
    unbound_metrics=(UnboundUp Count 1)
    while read -r key metric; do
      value=$(printf '%s\n' "$stats" | awk -F= -v k="$key" '$1 == k { print $2; exit }')
      value=${value:-0}
      d=$(delta "unbound.$key" "${value%%.*}")
      [ -n "$d" ] && unbound_metrics+=("$metric" Count "$d")
    done <<'STATS'
total.num.queries UnboundQueries
num.answer.rcode.SERVFAIL UnboundServfail
num.answer.rcode.NXDOMAIN UnboundNxdomain
total.num.cachehits UnboundCacheHits
total.num.cachemiss UnboundCacheMisses
STATS
    emit '[["Environment","Role","Host"],["Environment","Role"]]' "" "${unbound_metrics[@]}"
  else
    emit '[["Environment","Role","Host"],["Environment","Role"]]' "" UnboundUp Count 0
  fi
fi
exit 0
