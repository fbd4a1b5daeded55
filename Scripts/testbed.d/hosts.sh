# shellcheck shell=bash
# The test hosts of the test bed (sourced by Scripts/testbed).
#
# Each host is a network namespace "sp-<name>" on the bridge $BRIDGE ($SUBNET.1/24; hosts from .11),
# running its own sshd (root by key) under its own PID 1 in private mount, UTS and PID namespaces
# (host-init.sh), so it has its own process list and:
#   - its own /etc/{ssh,nginx,haproxy,php,keepalived,stackplay-balancer,hostname,hosts}: copies under
#     $TB/hosts/<name>/etc that `ip netns exec` binds over /etc through the /etc/netns/sp-<name> link;
#   - its own /root, /run, /var/log, /var/www, /var/lib/{nginx,haproxy,php} (bound by host-init.sh);
#   - its own hostname. No systemd: daemons start directly or through `service` (sysvinit scripts).
# /usr, /root and /tmp are the machine's. Hosts have no default route: traffic stays on the bridge.

HOSTS_DIR=$TB/hosts
BRIDGE=${STACKPLAY_TESTBED_BRIDGE:-spbr0}
SUBNET=${STACKPLAY_TESTBED_SUBNET:-10.77.0}
NS_PREFIX=sp-
DEFAULT_HOSTS="lb1 lb2 site1-web1 site1-web2 site2-web1 site2-web2 site2-web3 spare1"
ETC_DIRS="ssh nginx haproxy php keepalived stackplay-balancer"
HOSTS_APT="openssh-server openssh-client nginx haproxy php-fpm keepalived wrk iproute2 procps curl"

# Host names for a count: the eight defaults first, then node09..node64 for benchmarks.
host_names() { # count
    local n=$1 i names
    read -ra names <<<"$DEFAULT_HOSTS"
    for ((i = 9; i <= n; i++)); do names+=("$(printf 'node%02d' "$i")"); done
    echo "${names[@]:0:n}"
}

# name -> 1-based position among all 64 possible names (fixes its address and veth name).
declare -A HOST_INDEX=()
for _name in $(host_names 64); do HOST_INDEX[$_name]=$((${#HOST_INDEX[@]} + 1)); done
unset _name

host_index() { [ -n "${HOST_INDEX[$1]:-}" ] || die "unknown host $1"; echo "${HOST_INDEX[$1]}"; }

host_addr() { echo "$SUBNET.$((10 + HOST_INDEX[$1]))"; }

recorded_hosts() { cat "$HOSTS_DIR/hosts.list" 2>/dev/null || true; }

ensure_bridge() {
    ip link show "$BRIDGE" >/dev/null 2>&1 && return 0
    ip link add "$BRIDGE" type bridge
    ip addr add "$SUBNET.1/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    note "created bridge $BRIDGE ($SUBNET.1/24)"
}

# The namespace and its veth pair (root end spv<i> on the bridge, the other end eth0 inside).
ensure_netns() { # name
    local name=$1 ns=$NS_PREFIX$1 i addr
    i=$(host_index "$name"); addr=$(host_addr "$name")
    ip netns list | grep -qw "^$ns" || ip netns add "$ns"
    if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
        ip link del "spv$i" 2>/dev/null || true
        ip link add "spv$i" type veth peer name "spp$i"
        ip link set "spp$i" netns "$ns"
        ip -n "$ns" link set "spp$i" name eth0
        ip -n "$ns" addr add "$addr/24" dev eth0
    fi
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip link set "spv$i" master "$BRIDGE"
    ip link set "spv$i" up
}

# The host's private /etc and state directories; existing files (host keys, edits) are kept.
ensure_host_files() { # name
    local name=$1 hdir=$HOSTS_DIR/$1 addr d
    addr=$(host_addr "$name")
    mkdir -p "$hdir/etc"
    for d in $ETC_DIRS; do
        # `ip netns exec` can only bind over a directory that exists on the machine.
        [ -d "/etc/$d" ] || mkdir -p "/etc/$d"
        [ -d "$hdir/etc/$d" ] || cp -a "/etc/$d" "$hdir/etc/$d"
    done
    echo "$name" >"$hdir/etc/hostname"
    cp "$HOSTS_DIR/etc-hosts" "$hdir/etc/hosts"
    if [ ! -s "$hdir/etc/ssh/ssh_host_ed25519_key" ]; then
        rm -f "$hdir"/etc/ssh/ssh_host_* && rm -rf "$hdir/etc/ssh/sshd_config.d"
        ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$hdir/etc/ssh/ssh_host_ed25519_key"
    fi
    mkdir -p "$hdir/etc/ssh/authorized_keys"
    install -m 644 "$TB/id_ed25519.pub" "$hdir/etc/ssh/authorized_keys/root"
    sed -e "s/@NAME@/$name/; s/@ADDR@/$addr/" "$TBD/sshd_config.in" >"$hdir/etc/ssh/sshd_config"
    for d in run/sshd run/php run/haproxy var/log/nginx var/log/php var/www/html var/lib/nginx var/lib/haproxy var/lib/php/sessions; do
        mkdir -p "$hdir/$d"
    done
    [ -s "$hdir/var/www/html/index.html" ] || echo "$name" >"$hdir/var/www/html/index.html"
    # root's own home, as on a real instance: the controller's /root (its dotfiles, e.g. a .bashrc that
    # runs `pyenv init`, which bash sources for every SSH command) must not slow or change the hosts.
    if [ ! -d "$hdir/root" ]; then
        mkdir -p "$hdir/root"
        chmod 700 "$hdir/root"
        cp /etc/skel/.bashrc /etc/skel/.profile "$hdir/root/" 2>/dev/null || true
    fi
    chown www-data: "$hdir/var/lib/nginx" 2>/dev/null || true
    mkdir -p /etc/netns
    [ "$(readlink "/etc/netns/$NS_PREFIX$name")" = "$hdir/etc" ] || ln -sfn "$hdir/etc" "/etc/netns/$NS_PREFIX$name"
}

# The host's PID 1 (host-init.sh) as seen from the machine; $HOSTS_DIR/<name>/init.pid holds the PID
# of the `unshare` that forked it.
host_init_pid() { # name
    local pf=$HOSTS_DIR/$1/init.pid
    pidfile_alive "$pf" && pgrep -P "$(cat "$pf")" | head -n 1
}

host_running() { # name
    [ -n "$(host_init_pid "$1")" ] && timeout 1 bash -c "exec 3<>/dev/tcp/$(host_addr "$1")/22" 2>/dev/null
}

start_host() { # name
    ip netns exec "$NS_PREFIX$1" unshare --uts --mount --pid --fork --mount-proc -- \
        "$TBD/host-init.sh" "$1" "$HOSTS_DIR/$1" </dev/null >>"$HOSTS_DIR/$1/init.log" 2>&1 9>&- &
    echo $! >"$HOSTS_DIR/$1/init.pid"
}

# Ends a host's PID 1, which ends every process of the host.
stop_host() { # name
    local pid
    pid=$(host_init_pid "$1") || true
    [ -n "$pid" ] && stop_pids 5 "$pid"
    rm -f "$HOSTS_DIR/$1/init.pid"
}

wait_ssh_port() { # addr
    local i
    for ((i = 0; i < 100; i++)); do
        timeout 1 bash -c "exec 3<>/dev/tcp/$1/22" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# Stops every process in the host's namespace (sshd and all it started) and removes the host.
remove_host() { # name
    local name=$1 ns=$NS_PREFIX$1 i pids
    i=$(host_index "$name")
    stop_host "$name"
    if ip netns list | grep -qw "^$ns"; then
        # Anything left in the network namespace was started through the host (or by an unfinished up).
        pids=$(ip netns pids "$ns" || true)
        # shellcheck disable=SC2086
        [ -n "$pids" ] && stop_pids 3 $pids
        ip netns del "$ns"
    fi
    ip link del "spv$i" 2>/dev/null || true
    [ -L "/etc/netns/$ns" ] && rm -f "/etc/netns/$ns"
    rm -rf "${HOSTS_DIR:?}/$name"
}

write_etc_hosts() { # names...
    local name
    { echo "127.0.0.1 localhost"; echo "$SUBNET.1 gateway"
      for name in "$@"; do echo "$(host_addr "$name") $name"; done; } >"$HOSTS_DIR/etc-hosts"
}

hosts_up() { # count
    local n=$1 T0 t0 name names started=() repaired=() addr
    T0=$(now_ms)
    [ "$(id -u)" = 0 ] || die "the test hosts need root (network namespaces)"
    [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 64 ] || die "--hosts must be 1..64"
    apt_install $HOSTS_APT
    mkdir -p "$HOSTS_DIR" "$TB/log"
    [ -s "$TB/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C stackplay-testbed -f "$TB/id_ed25519"
    names=$(host_names "$n")
    for name in $(recorded_hosts); do
        [[ " $names " == *" $name "* ]] || { remove_host "$name"; note "removed host $name"; }
    done
    echo "$names" | tr ' ' '\n' >"$HOSTS_DIR/hosts.list"
    write_etc_hosts $names
    ensure_bridge
    t0=$(now_ms)
    for name in $names; do
        if host_running "$name" && ip -n "$NS_PREFIX$name" link show eth0 >/dev/null 2>&1; then
            cp "$HOSTS_DIR/etc-hosts" "$HOSTS_DIR/$name/etc/hosts"
            continue
        fi
        [ -d "$HOSTS_DIR/$name" ] && repaired+=("$name") || started+=("$name")
        stop_host "$name"
        ensure_netns "$name"
        ensure_host_files "$name"
        start_host "$name"
    done
    for name in "${started[@]}" "${repaired[@]}"; do
        wait_ssh_port "$(host_addr "$name")" || die "sshd of $name is not listening (see $HOSTS_DIR/$name/var/log/sshd.log)"
    done
    [ ${#started[@]} -gt 0 ] && did "$t0" "created ${#started[@]} hosts: ${started[*]}"
    [ ${#repaired[@]} -gt 0 ] && did "$t0" "restarted ${#repaired[@]} hosts: ${repaired[*]}"
    [ ${#started[@]} -eq 0 ] && [ ${#repaired[@]} -eq 0 ] && note "all $n hosts already running"
    : >"$TB/known_hosts"
    for name in $names; do
        addr=$(host_addr "$name")
        echo "$addr,$name $(cut -d' ' -f1,2 "$HOSTS_DIR/$name/etc/ssh/ssh_host_ed25519_key.pub")" >>"$TB/known_hosts"
    done
    "$TBD/write_inventory.py" "$TB" $names >/dev/null || die "writing the inventory failed"
    did "$T0" "hosts ready ($n)"
}

hosts_down() {
    local name n=0 namespaces
    namespaces=$(ip netns list | cut -d' ' -f1)
    # Every host name this script can create, so that an interrupted `up` is cleaned up too.
    for name in $(host_names 64); do
        if [[ $'\n'$namespaces$'\n' == *$'\n'$NS_PREFIX$name$'\n'* ]] || [ -d "$HOSTS_DIR/$name" ]; then
            remove_host "$name"; n=$((n + 1))
        fi
    done
    rmdir /etc/netns 2>/dev/null || true
    ip link del "$BRIDGE" 2>/dev/null && note "removed bridge $BRIDGE"
    [ "$n" -gt 0 ] && note "removed $n hosts (namespaces, veths, processes)"
    rm -f "$HOSTS_DIR/hosts.list" "$HOSTS_DIR/etc-hosts" "$TB/known_hosts" "$TB/inventory.yml" "$TB/ssh_config"
    rmdir "$HOSTS_DIR" 2>/dev/null || true
}

# One SSH login per host printing its hostname, then an HTTP GET of the host's own address from the
# machine. A host where nothing serves port 80 gets nginx started for the check (it must answer with the
# host's name) and stopped again; where a playbook already put a server on port 80 (nginx, a balancer),
# that server must answer. Hosts are checked in parallel; prints one line per host, returns 1 on any failure.
hosts_status() {
    local names name out rc=0 dir
    names=$(recorded_hosts)
    [ -n "$names" ] || { note "no test hosts (run: Scripts/testbed up)"; return 1; }
    dir=$(mktemp -d)
    for name in $names; do check_host "$name" >"$dir/$name" 2>&1 & done
    wait
    for name in $names; do
        out=$(cat "$dir/$name")
        printf '  %s\n' "$out"
        [[ $out == *" ok" ]] || rc=1
    done
    rm -rf "$dir"
    return $rc
}

check_host() { # name
    local name=$1 addr login state body code
    addr=$(host_addr "$name")
    login=$(ssh -n -F "$TB/ssh_config" "$name" \
        'hostname; if ss -Hltn "sport = :80" | grep -q .; then echo serving; else nginx && echo started; fi' 2>&1) || true
    [ "$(sed -n 1p <<<"$login")" = "$name" ] || { echo "$name $addr ssh: FAILED: $(tr '\n' ' ' <<<"$login")"; return; }
    state=$(sed -n 2p <<<"$login")
    body=$(curl -s --max-time 5 -w '\n%{http_code}' "http://$addr/" || true)
    code=$(tail -n 1 <<<"$body"); body=$(sed '$d' <<<"$body")
    if [ "$state" = started ]; then
        ssh -n -F "$TB/ssh_config" "$name" 'nginx -s quit' >/dev/null 2>&1
        if [ "$body" = "$name" ]; then
            echo "$name $addr ssh: hostname $name, http://$addr/ (nginx started for the check): \"$name\" ok"
        else
            echo "$name $addr ssh: hostname $name, http://$addr/ (nginx started for the check): FAILED (got $code \"${body:0:60}\")"
        fi
    elif [ "$state" = serving ] && [ "${code:-000}" != 000 ]; then
        echo "$name $addr ssh: hostname $name, http://$addr/ (already served there): HTTP $code ok"
    else
        echo "$name $addr ssh: hostname $name, http://$addr/: FAILED (${state:-no nginx}, HTTP ${code:-000})"
    fi
}
