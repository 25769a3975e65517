#!/usr/bin/env bash
# A throw-away single-node Slurm cluster on loopback, for storsim's cluster end-to-end test.
#
#   slurm-setup.sh install        install Debian's slurm-wlm and munge if they are missing (root + apt-get)
#   slurm-setup.sh check          install, then check that the daemons can be started here (root)
#   slurm-setup.sh start  [DIR]   install, then start munged, slurmctld and slurmd with state under DIR
#   slurm-setup.sh stop   [DIR]   cancel jobs, stop the three daemons (by their pid files), remove DIR
#   slurm-setup.sh env    [DIR]   print the SLURM_CONF line the Slurm client commands need
#
# DIR defaults to ${TMPDIR:-/tmp}/storsim-slurm. Everything lives there: slurm.conf, the munge key and
# socket, state, spool, pid files and logs. Nothing under /etc is changed and no system service is used:
# munged listens on its own socket (AuthInfo=socket=...), and the client commands find the cluster
# through SLURM_CONF. `start` first stops whatever an earlier run left in DIR, so it is idempotent.
#
# The node is this machine under its own short host name, reached at 127.0.0.1, with the CPU count and
# memory that `slurmd -C` reports. No cgroups (containers often lack them): proctrack/linuxproc,
# task/none, jobacct_gather/none, no accounting database. Jobs may run as root (Slurm's default,
# DisableRootJobs=NO); the daemons run as root too (SlurmUser=root), as the test does.
#
# Exit codes: 0 ok; 77 Slurm cannot be had here (not root and packages missing, no apt-get, install
# failed): callers skip, and the reason is the last line on stderr; 1 anything else (a daemon did not
# start: the log tails are printed).
set -euo pipefail

SKIP=77
command_name=${1:-}
DIR=${2:-${TMPDIR:-/tmp}/storsim-slurm}
CTLD_PORT=${STORSIM_SLURMCTLD_PORT:-16817}
SLURMD_PORT=${STORSIM_SLURMD_PORT:-16818}
CONF=$DIR/slurm.conf
SOCKET=$DIR/munge/munge.socket
NEEDED=(munged munge slurmctld slurmd sbatch squeue sinfo scontrol scancel)

log() { echo "slurm-setup: $*" >&2; }
skip() { log "SKIP: $*"; exit "$SKIP"; }

missing_commands() {
  local missing=()
  for c in "${NEEDED[@]}"; do
    command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || missing+=("$c")
  done
  echo "${missing[*]:-}"
}

do_install() {
  export PATH=$PATH:/usr/sbin:/sbin
  local missing
  missing=$(missing_commands)
  [ -z "$missing" ] && return 0
  log "missing: $missing; installing Debian's slurm-wlm and munge"
  [ "$(id -u)" = 0 ] || skip "Slurm is not installed ($missing missing) and installing it needs root (apt-get install slurm-wlm munge)"
  command -v apt-get >/dev/null 2>&1 || skip "Slurm is not installed ($missing missing) and there is no apt-get to install Debian's slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  # apt-get update once: the package lists may be missing or stale on a fresh machine.
  if ! timeout 600 apt-get update -qq >&2; then
    skip "apt-get update failed (Debian's package registry unreachable?); cannot install slurm-wlm and munge"
  fi
  if ! timeout 900 apt-get install -y -qq --no-install-recommends slurm-wlm munge >&2; then
    skip "apt-get install slurm-wlm munge failed; see the apt-get output above"
  fi
  missing=$(missing_commands)
  [ -z "$missing" ] || skip "slurm-wlm and munge installed, but still missing: $missing"
}

# The pid recorded in a daemon's pid file, if that process is still that daemon (not a recycled pid).
daemon_pid() {
  local name=$1 pidfile=$2 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$name" && echo "$pid"
  return 0
}

# Stop daemons given as name:pidfile pairs: TERM to all at once (each takes 1-2 s to shut down),
# wait up to 15 s, then KILL. Only the recorded pids are signalled.
stop_daemons() {
  local pair name pidfile pid i pids=() names=()
  for pair in "$@"; do
    name=${pair%%:*}; pidfile=${pair#*:}
    pid=$(daemon_pid "$name" "$pidfile")
    rm -f "$pidfile"
    [ -n "$pid" ] || continue
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid"); names+=("$name")
  done
  for i in "${!pids[@]}"; do
    for _ in $(seq 1 150); do
      kill -0 "${pids[$i]}" 2>/dev/null || continue 2
      sleep 0.1
    done
    log "${names[$i]} (pid ${pids[$i]}) did not stop on TERM; killing it"
    kill -KILL "${pids[$i]}" 2>/dev/null || true
  done
}

do_stop() {
  [ -d "$DIR" ] || return 0
  export PATH=$PATH:/usr/sbin:/sbin
  if [ -f "$CONF" ] && [ -f "$DIR/run/slurmctld.pid" ] && command -v squeue >/dev/null 2>&1; then
    # Cancel what is still queued or running so no job step outlives its slurmd.
    local jobs i
    jobs=$(SLURM_CONF=$CONF timeout 10 squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ' || true)
    if [ -n "${jobs// /}" ]; then
      # shellcheck disable=SC2086
      SLURM_CONF=$CONF timeout 10 scancel $jobs 2>/dev/null || true
      for i in $(seq 1 100); do
        [ -z "$(SLURM_CONF=$CONF timeout 10 squeue -h -o %A 2>/dev/null || true)" ] && break
        sleep 0.1
      done
    fi
  fi
  stop_daemons "slurmd:$DIR/run/slurmd.pid" "slurmctld:$DIR/run/slurmctld.pid" "munged:$DIR/munge/munged.pid"
  if [ "${STORSIM_KEEP_SLURM_DIR:-}" = 1 ]; then
    log "kept $DIR (STORSIM_KEEP_SLURM_DIR=1)"
  else
    # Remove only what this script creates there, then the folder if that left it empty.
    rm -rf "$DIR"/{munge,state,spool,run,log} "$CONF"
    rmdir "$DIR" 2>/dev/null || log "left $DIR: it holds files this script did not create"
  fi
}

print_logs() {
  local f
  for f in "$DIR/munge/munged.log" "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log"; do
    [ -f "$f" ] || continue
    echo "----- tail of $f" >&2
    tail -n 25 "$f" >&2 || true
  done
}

fail_start() {
  log "$*"
  print_logs
  STORSIM_KEEP_SLURM_DIR=1 do_stop
  log "logs kept in $DIR"
  exit 1
}

write_conf() {
  local node cpus boards sockets cores threads memory probe
  node=$(hostname -s)
  # `slurmd -C` prints this machine as a slurm.conf NodeName line: take its numbers as they are.
  probe=$(slurmd -C | head -n 1)
  field() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" <<<"$probe"; }
  cpus=$(field CPUs); boards=$(field Boards); sockets=$(field SocketsPerBoard)
  cores=$(field CoresPerSocket); threads=$(field ThreadsPerCore); memory=$(field RealMemory)
  [ -n "$cpus" ] && [ -n "$memory" ] || fail_start "could not read CPUs and RealMemory from 'slurmd -C': $probe"
  cat >"$CONF" <<EOF
# Written by storsim's test/cluster/slurm-setup.sh: one node on loopback, no cgroups, no accounting.
ClusterName=storsim-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
# A job whose dependency can never be met (a shard failed) is cancelled instead of pending forever.
DependencyParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MaxArraySize=100001
MaxJobCount=200000
# Keep finished jobs visible to scontrol for 10 minutes: the test reads their exit codes there.
MinJobAge=600
SlurmctldTimeout=60
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
Waittime=0
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus Boards=${boards:-1} SocketsPerBoard=${sockets:-1} CoresPerSocket=${cores:-$cpus} ThreadsPerCore=${threads:-1} RealMemory=$memory State=UNKNOWN
PartitionName=storsim Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
}

do_start() {
  do_check
  export PATH=$PATH:/usr/sbin:/sbin
  do_stop
  mkdir -p "$DIR"/{munge,state,spool,run,log}
  chmod 700 "$DIR" "$DIR/munge"
  write_conf

  # munge: a fresh key, our own socket, pid, seed and log files.
  dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$DIR/munge/munge.key"
  munged --force --socket="$SOCKET" --key-file="$DIR/munge/munge.key" --pid-file="$DIR/munge/munged.pid" \
    --seed-file="$DIR/munge/munged.seed" --log-file="$DIR/munge/munged.log" \
    || fail_start "munged did not start"
  local i ok=
  for i in $(seq 1 50); do
    if munge -n -S "$SOCKET" 2>/dev/null | unmunge -S "$SOCKET" >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.1
  done
  [ -n "$ok" ] || fail_start "munge credentials do not round-trip through $SOCKET"

  slurmctld -f "$CONF" || fail_start "slurmctld did not start"
  slurmd -f "$CONF" || fail_start "slurmd did not start"

  # Wait until the node is idle (a fresh node may show as unknown or down for a moment).
  local state=
  for i in $(seq 1 120); do
    state=$(SLURM_CONF=$CONF timeout 10 sinfo -h -N -o %t 2>/dev/null | head -n 1 || true)
    [ "$state" = idle ] && break
    if [ "$state" = down ] || [ "$state" = drain ]; then
      SLURM_CONF=$CONF scontrol update NodeName="$(hostname -s)" State=RESUME >/dev/null 2>&1 || true
    fi
    sleep 0.5
  done
  [ "$state" = idle ] || fail_start "the node did not become idle within 60 s (sinfo state: '${state:-none}')"
  log "Slurm is up: node $(hostname -s) at 127.0.0.1, $(SLURM_CONF=$CONF sinfo -h -o '%c CPUs, %m MB'), SLURM_CONF=$CONF"
  echo "SLURM_CONF=$CONF"
}

do_check() {
  do_install
  [ "$(id -u)" = 0 ] || skip "starting the test's Slurm daemons needs root (they run as SlurmUser=root); running as uid $(id -u)"
}

case "$command_name" in
  install) do_install ;;
  check) do_check ;;
  start) do_start ;;
  stop) do_stop ;;
  env) echo "SLURM_CONF=$CONF" ;;
  *) echo "usage: $0 install|check|start|stop|env [DIR]" >&2; exit 2 ;;
esac
