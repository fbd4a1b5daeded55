# shellcheck shell=bash
# The OpenStack control plane of the test bed (sourced by Scripts/testbed).
#
# Real services from PyPI, in one venv, listening on 127.0.0.1 on DevStack's ports:
#   keystone :5000/v3 (sqlite)   glance :9292 (sqlite, file store)   nova-api :8774/v2.1 (sqlite)
#   neutron :9696 (ML2 without agents, router+segments plugins, MariaDB)
#   tacker :9890 server + conductor (MariaDB, RabbitMQ)
#   private MariaDB :3307 and RabbitMQ :5673 (epmd :4370), data under $TB/openstack
# Why MariaDB and RabbitMQ: neutron's and tacker's migrations do not run on sqlite, and tacker's
# package onboarding is an RPC cast between two processes, which the in-process fake:// cannot carry.

OS_DIR=$TB/openstack
VENV=$TB/venv
RUN=$OS_DIR/run
LOGD=$OS_DIR/log
ETC=$OS_DIR/etc
DATA=$OS_DIR/data
ADMIN_PASSWORD='admin'
REGION=RegionOne
# DevStack's ports; STACKPLAY_TESTBED_PORT_<NAME> moves one (e.g. for a second test bed beside this one).
port() { local var=STACKPLAY_TESTBED_PORT_$1; echo "${!var:-$2}"; }
KS_PORT=$(port KEYSTONE 5000) GLANCE_PORT=$(port GLANCE 9292) NEUTRON_PORT=$(port NEUTRON 9696)
NOVA_PORT=$(port NOVA 8774) TACKER_PORT=$(port TACKER 9890) MYSQL_PORT=$(port MYSQL 3307)
RABBIT_PORT=$(port RABBIT 5673) EPMD_PORT=$(port EPMD 4370) RABBIT_DIST_PORT=$(port RABBIT_DIST 25673)
KS_URL=http://127.0.0.1:$KS_PORT/v3
# DevStack registers (and writes into clouds.yaml) the unversioned identity URL.
KS_CATALOG_URL=http://127.0.0.1:$KS_PORT
export STACKPLAY_TB=$TB TB_ADMIN_PASSWORD=$ADMIN_PASSWORD TB_KEYSTONE_PORT=$KS_PORT TB_GLANCE_PORT=$GLANCE_PORT \
    TB_NEUTRON_PORT=$NEUTRON_PORT TB_NOVA_PORT=$NOVA_PORT TB_TACKER_PORT=$TACKER_PORT
MYSQL_SOCK=$RUN/mysqld.sock
# shellcheck disable=SC2034 # MYSQL_URL and RABBIT_URL are used by openstack-config.sh
MYSQL_URL="mysql+pymysql://stackplay:stackplay@127.0.0.1:$MYSQL_PORT"
# shellcheck disable=SC2034
RABBIT_URL="rabbit://guest:guest@127.0.0.1:$RABBIT_PORT/"
OPENSTACK_APT="mariadb-server rabbitmq-server python3-venv procps curl"
# API services in start order; each has $RUN/<name>.pid.
API_SERVICES="keystone neutron glance nova tacker-server tacker-conductor placement nova-conductor nova-scheduler nova-compute"

# ---------------------------------------------------------------- venv -----

# Debian 12's python3 is 3.11, which every pinned service supports.
ensure_openstack_venv() {
    local want t0
    want=$(cat "$TBD/requirements.txt" "$TBD/constraints.txt" | md5sum | cut -d' ' -f1)
    if [ -x "$VENV/bin/tacker-server" ] && [ "$(cat "$VENV/.stackplay-requirements" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    t0=$(now_ms)
    [ -x "$VENV/bin/python" ] || /usr/bin/python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$TBD/requirements.txt" -c "$TBD/constraints.txt" \
        >"$LOGD/pip-install.log" 2>&1 || { tail -n 30 "$LOGD/pip-install.log" >&2; die "pip install failed"; }
    echo "$want" >"$VENV/.stackplay-requirements"
    did "$t0" "pip install OpenStack services into .testbed/venv"
}

# ------------------------------------------------------ infrastructure -----

rabbit_env() {
    export HOME=$DATA/rabbitmq RABBITMQ_HOME=/usr/lib/rabbitmq
    export RABBITMQ_MNESIA_BASE=$DATA/rabbitmq/mnesia RABBITMQ_LOG_BASE=$LOGD/rabbitmq
    export RABBITMQ_NODENAME=stackplay@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT=$RABBIT_PORT RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT
    # A bare rabbitmqctl would start a system-wide epmd on 0.0.0.0:4369; ours stays on loopback.
    export ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT=$EPMD_PORT
    export RABBITMQ_CONFIG_FILE=$ETC/rabbitmq/rabbitmq.conf
    export RABBITMQ_ENABLED_PLUGINS_FILE=$ETC/rabbitmq/enabled_plugins
    export RABBITMQ_PID_FILE=$RUN/rabbitmq.pid
    export RABBITMQ_CONF_ENV_FILE=$ETC/rabbitmq/rabbitmq-env.conf
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

rabbitmqctl() { ( rabbit_env; /usr/lib/rabbitmq/bin/rabbitmqctl "$@" ); }

start_mariadb() {
    pidfile_alive "$RUN/mysqld.pid" && return 0
    local t0 i; t0=$(now_ms)
    if [ ! -d "$DATA/mysql/mysql" ]; then
        mariadb-install-db --defaults-file="$ETC/mysql/my.cnf" --auth-root-authentication-method=socket \
            >"$LOGD/mariadb-install.log" 2>&1 || die "mariadb-install-db failed (see $LOGD/mariadb-install.log)"
    fi
    port_busy "$MYSQL_PORT" && die "port $MYSQL_PORT is taken by a process this test bed did not start"
    setsid /usr/sbin/mariadbd --defaults-file="$ETC/mysql/my.cnf" </dev/null >/dev/null 2>&1 9>&- &
    for ((i = 0; i < 240; i++)); do
        mariadb-admin --socket="$MYSQL_SOCK" -uroot ping >/dev/null 2>&1 && break
        sleep 0.25
    done
    mariadb --socket="$MYSQL_SOCK" -uroot -e "
        CREATE USER IF NOT EXISTS 'stackplay'@'127.0.0.1' IDENTIFIED BY 'stackplay';
        GRANT ALL ON *.* TO 'stackplay'@'127.0.0.1';
        CREATE DATABASE IF NOT EXISTS neutron CHARACTER SET utf8mb4;
        CREATE DATABASE IF NOT EXISTS tacker CHARACTER SET utf8mb4;
        CREATE DATABASE IF NOT EXISTS nova_api CHARACTER SET utf8mb4;
        CREATE DATABASE IF NOT EXISTS nova_cell0 CHARACTER SET utf8mb4;
        CREATE DATABASE IF NOT EXISTS nova_cell1 CHARACTER SET utf8mb4;" \
        || die "mariadb did not start (see $LOGD/mariadb.log)"
    did "$t0" "started MariaDB on 127.0.0.1:$MYSQL_PORT"
}

start_rabbitmq() {
    pidfile_alive "$RUN/rabbitmq.pid" && return 0
    port_busy "$RABBIT_PORT" && die "port $RABBIT_PORT is taken by a process this test bed did not start"
    local t0; t0=$(now_ms)
    ( rabbit_env; setsid /usr/lib/rabbitmq/bin/rabbitmq-server </dev/null >"$LOGD/rabbitmq-stdout.log" 2>&1 9>&- & )
    # `rabbitmqctl wait` itself crashes now and then on a busy machine (Elixir :noproc); poll instead.
    local i
    for ((i = 0; i < 180; i++)); do
        ( rabbit_env; timeout 30 /usr/lib/rabbitmq/bin/rabbitmqctl -q await_startup --timeout 25 ) \
            >>"$LOGD/rabbitmq-wait.log" 2>&1 && break
        { [ -s "$RUN/rabbitmq.pid" ] && ! pidfile_alive "$RUN/rabbitmq.pid"; } && break
        sleep 1
    done
    rabbitmqctl -q status >/dev/null 2>&1 || die "RabbitMQ did not start (see $LOGD/rabbitmq-stdout.log)"
    did "$t0" "started RabbitMQ on 127.0.0.1:$RABBIT_PORT"
}

# ------------------------------------------------------ db / bootstrap -----

marker() { [ -e "$DATA/.done-$1" ]; }
mark() { touch "$DATA/.done-$1"; }

keystone_db() {
    local K=("$VENV/bin/keystone-manage" --config-file "$ETC/keystone/keystone.conf")
    marker keystone-db || { "${K[@]}" db_sync >"$LOGD/keystone-manage.log" 2>&1 || die "keystone db_sync failed"; mark keystone-db; }
    [ -e "$DATA/keystone/fernet-keys/0" ] || "${K[@]}" fernet_setup --keystone-user root --keystone-group root >>"$LOGD/keystone-manage.log" 2>&1
    [ -e "$DATA/keystone/credential-keys/0" ] || "${K[@]}" credential_setup --keystone-user root --keystone-group root >>"$LOGD/keystone-manage.log" 2>&1
    marker keystone-bootstrap && return 0
    "${K[@]}" bootstrap --bootstrap-password "$ADMIN_PASSWORD" --bootstrap-region-id "$REGION" \
        --bootstrap-admin-url "$KS_CATALOG_URL" --bootstrap-internal-url "$KS_CATALOG_URL" \
        --bootstrap-public-url "$KS_CATALOG_URL" \
        >>"$LOGD/keystone-manage.log" 2>&1 || die "keystone bootstrap failed (see $LOGD/keystone-manage.log)"
    mark keystone-bootstrap
}

neutron_db() {
    marker neutron-db && return 0
    "$VENV/bin/neutron-db-manage" --config-file "$ETC/neutron/neutron.conf" \
        --config-file "$ETC/neutron/ml2_conf.ini" upgrade heads >"$LOGD/neutron-manage.log" 2>&1 || return 1
    mark neutron-db
}

glance_db() {
    marker glance-db && return 0
    "$VENV/bin/glance-manage" --config-file "$ETC/glance/glance-api.conf" db_sync >"$LOGD/glance-manage.log" 2>&1 || return 1
    mark glance-db
}

# Nova's databases: sqlite for the API alone; MariaDB with --compute, where four processes write them
# at once and sqlite answers "database is locked". Chosen when the databases are created.
nova_db_backend() {
    if [ -s "$DATA/nova/backend" ]; then cat "$DATA/nova/backend"
    elif marker nova-db; then echo sqlite  # created before this choice existed
    elif compute_enabled; then echo mysql
    else echo sqlite; fi
}

nova_db_url() { # database
    if [ "$(nova_db_backend)" = mysql ]; then echo "$MYSQL_URL/$1?charset=utf8mb4"; else echo "sqlite:///$DATA/nova/$1.db"; fi
}

nova_db() {
    marker nova-db && return 0
    nova_db_backend >"$DATA/nova/backend"
    local N=("$VENV/bin/nova-manage" --config-file "$ETC/nova/nova.conf")
    { "${N[@]}" api_db sync &&
        "${N[@]}" cell_v2 map_cell0 --database_connection "$(nova_db_url nova_cell0)" &&
        { "${N[@]}" cell_v2 list_cells | grep -q ' cell1 ' || "${N[@]}" cell_v2 create_cell --name cell1; } &&
        "${N[@]}" db sync; } >"$LOGD/nova-manage.log" 2>&1 || return 1
    mark nova-db
}

tacker_db() {
    marker tacker-db && return 0
    "$VENV/bin/tacker-db-manage" --config-file "$ETC/tacker/tacker.conf" upgrade head >"$LOGD/tacker-manage.log" 2>&1 || return 1
    mark tacker-db
}

# ------------------------------------------------------------ services -----

wait_http() { # name url timeout_s logfile pidfile
    local name=$1 url=$2 tmo=$3 lf=$4 pf=$5 code i
    for ((i = 0; i < tmo * 4; i++)); do
        code=$(curl -s --max-time 3 -o /dev/null -w '%{http_code}' "$url" || true)
        case $code in 2?? | 3?? | 401) return 0 ;; esac
        # A daemonizing gunicorn writes its pidfile a moment after it was launched, and removes it
        # when its worker fails to boot.
        if { [ -s "$pf" ] || [ "$i" -gt 40 ]; } && ! pidfile_alive "$pf"; then
            tail -n 30 "$lf" >&2 || true
            die "$name died during start-up (see $lf)"
        fi
        sleep 0.25
    done
    tail -n 30 "$lf" >&2 || true
    die "$name is not answering on $url after ${tmo}s (see $lf)"
}

# What a gunicorn service was started with: its environment and every file in its config directory.
config_fingerprint() { # CONFIG_DIR_VAR=dir [VAR=value...]
    { echo "$@"; cat "${1#*=}"/*; } | md5sum | cut -d' ' -f1
}

# keystone, neutron, glance, nova-api and placement under gunicorn. The shims in $OS_DIR/wsgi reset
# sys.argv, because oslo.config would otherwise parse gunicorn's flags and the worker exits with status 2.
# A running service whose configuration changed since it started (e.g. `up --compute`) is restarted.
start_gunicorn() { # name port CONFIG_DIR_VAR=dir [VAR=value...]
    local name=$1 port=$2 fingerprint; shift 2
    fingerprint=$(config_fingerprint "$@")
    if pidfile_alive "$RUN/$name.pid"; then
        [ "$(cat "$RUN/$name.config" 2>/dev/null)" = "$fingerprint" ] && return 1
        note "restarting $name: its configuration changed"
        # shellcheck disable=SC2046 # one PID per word
        stop_pids 20 $(pid_and_children "$RUN/$name.pid")
    fi
    port_busy "$port" && die "port $port is taken by a process this test bed did not start"
    rm -f "$RUN/$name.pid"
    echo "$fingerprint" >"$RUN/$name.config"
    env "$@" PYTHONWARNINGS=ignore "$VENV/bin/gunicorn" --pythonpath "$OS_DIR/wsgi" \
        --bind "127.0.0.1:$port" --workers 1 --threads 4 --timeout 300 \
        --pid "$RUN/$name.pid" --daemon --no-control-socket \
        --error-logfile "$LOGD/$name-gunicorn.log" "${name}_app:application" </dev/null >/dev/null 2>&1 9>&-
}

start_daemon() { # name command...
    local name=$1; shift
    pidfile_alive "$RUN/$name.pid" && return 1
    rm -f "$RUN/$name.pid"
    PYTHONWARNINGS=ignore setsid "$@" </dev/null >"$LOGD/$name.out" 2>&1 9>&- &
    echo $! >"$RUN/$name.pid"
}

# Waits until a RabbitMQ queue has a consumer: an RPC cast sent before that is lost (tacker's package
# onboarding is one; so is nova's build request to nova-compute).
wait_rpc_consumer() { # queue service
    local i
    for ((i = 0; i < 240; i++)); do
        rabbitmqctl list_queues -q name consumers 2>/dev/null |
            awk -v q="$1" '$1 == q && $2 >= 1 { f = 1 } END { exit !f }' && return 0
        pidfile_alive "$RUN/$2.pid" || { tail -n 30 "$LOGD/$2.log" >&2; die "$2 died"; }
        sleep 0.25
    done
    die "$2 is not consuming from RabbitMQ queue $1 after 60 s (see $LOGD/$2.log)"
}

build_sample_csar() {
    local out=$TB/sample_vnf_package.zip build=$OS_DIR/csar-build types
    [ -s "$out" ] && return 0
    # The ETSI SOL001 type definitions ship inside the tacker wheel, as test data.
    types=$(echo "$VENV"/lib/python3*/site-packages/tacker/tests/unit/vnfm/infra_drivers/openstack/data/etsi_nfv)
    rm -rf "$build" && cp -r "$TBD/sample_csar" "$build"
    cp "$types/etsi_nfv_sol001_common_types.yaml" "$types/etsi_nfv_sol001_vnfd_types.yaml" "$build/Definitions/"
    (cd "$build" && "$VENV/bin/python" -m zipfile -c "$out" TOSCA-Metadata Definitions)
    rm -rf "$build"
}

openstack_up() {
    local T0 t0 p pids=() started
    T0=$(now_ms)
    mkdir -p "$RUN" "$LOGD" "$ETC" "$DATA"
    apt_install $OPENSTACK_APT
    ensure_openstack_venv
    write_openstack_configs

    if ! pidfile_alive "$RUN/mysqld.pid" || ! pidfile_alive "$RUN/rabbitmq.pid"; then
        (start_mariadb) & local mdb=$!
        (start_rabbitmq) & local rmq=$!
    fi
    t0=$(now_ms)
    keystone_db
    start_gunicorn keystone "$KS_PORT" "OS_KEYSTONE_CONFIG_DIR=$ETC/keystone" && started=1 || started=
    [ -n "${mdb:-}" ] && { wait "$mdb" || die "MariaDB failed"; }

    # The four schemas are independent; building them in parallel halves a cold start.
    neutron_db & pids+=("$!:neutron")
    glance_db & pids+=("$!:glance")
    nova_db & pids+=("$!:nova")
    tacker_db & pids+=("$!:tacker")
    wait_http keystone "$KS_URL" 120 "$LOGD/keystone-gunicorn.log" "$RUN/keystone.pid"
    [ -n "$started" ] && did "$t0" "started keystone on 127.0.0.1:$KS_PORT"
    local register_marker=keystone-register
    # openstack_seed.py registers placement too when TB_PLACEMENT_PORT is set.
    compute_enabled && { register_marker=keystone-register-compute; export TB_PLACEMENT_PORT=$PLACEMENT_PORT; }
    if ! marker $register_marker; then
        t0=$(now_ms)
        "$VENV/bin/python" "$TBD/openstack_seed.py" register >"$LOGD/register.log" 2>&1 ||
            { cat "$LOGD/register.log" >&2; die "keystone registration failed"; }
        mark keystone-register; mark $register_marker
        did "$t0" "registered services, endpoints, DevStack users/projects"
    fi
    t0=$(now_ms)
    for p in "${pids[@]}"; do
        wait "${p%%:*}" || die "${p#*:} database migration failed (see $LOGD/${p#*:}-manage.log)"
    done
    [ -e "$DATA/.db-timed" ] || { did "$t0" "database schemas (neutron, glance, nova, tacker)"; touch "$DATA/.db-timed"; }
    [ -n "${rmq:-}" ] && { wait "$rmq" || die "RabbitMQ failed"; }
    compute_enabled && { compute_db; register_fake_ovs_agent; }

    t0=$(now_ms); started=()
    start_gunicorn neutron "$NEUTRON_PORT" "OS_NEUTRON_CONFIG_DIR=$ETC/neutron" \
        "OS_NEUTRON_CONFIG_FILES=neutron.conf;ml2_conf.ini" && started+=(neutron)
    start_gunicorn glance "$GLANCE_PORT" "OS_GLANCE_CONFIG_DIR=$ETC/glance" && started+=(glance)
    start_gunicorn nova "$NOVA_PORT" "OS_NOVA_CONFIG_DIR=$ETC/nova" "OS_NOVA_CONFIG_FILES=$(nova_api_files)" && started+=(nova-api)
    start_daemon tacker-conductor "$VENV/bin/tacker-conductor" --config-file "$ETC/tacker/tacker.conf" \
        --log-file "$LOGD/tacker-conductor.log" && started+=(tacker-conductor)
    if ! pidfile_alive "$RUN/tacker-server.pid"; then
        port_busy "$TACKER_PORT" && die "port $TACKER_PORT is taken by a process this test bed did not start"
        start_daemon tacker-server "$VENV/bin/tacker-server" --config-file "$ETC/tacker/tacker.conf" \
            --log-file "$LOGD/tacker-server.log" && started+=(tacker-server)
    fi
    wait_http neutron "http://127.0.0.1:$NEUTRON_PORT/" 180 "$LOGD/neutron.log" "$RUN/neutron.pid"
    wait_http glance "http://127.0.0.1:$GLANCE_PORT/" 180 "$LOGD/glance.log" "$RUN/glance.pid"
    wait_http nova "http://127.0.0.1:$NOVA_PORT/" 180 "$LOGD/nova.log" "$RUN/nova.pid"
    wait_http tacker "http://127.0.0.1:$TACKER_PORT/" 180 "$LOGD/tacker-server.log" "$RUN/tacker-server.pid"
    [[ " ${started[*]} " == *" tacker-conductor "* ]] && wait_rpc_consumer TACKER_CONDUCTOR tacker-conductor
    if [ ${#started[@]} -gt 0 ]; then
        # Version documents bypass the auth pipeline; one authenticated-path request each builds it.
        for p in "$NEUTRON_PORT/v2.0/networks" "$GLANCE_PORT/v2/images" "$NOVA_PORT/v2.1/flavors" "$TACKER_PORT/v1.0/vims"; do
            curl -s --max-time 30 -o /dev/null "http://127.0.0.1:$p" || true
        done
        did "$t0" "started ${started[*]}"
    else
        note "neutron, glance, nova-api, tacker-server, tacker-conductor: already running"
    fi

    compute_enabled && compute_up
    heat_enabled && heat_up
    if ! marker seed; then
        t0=$(now_ms)
        "$VENV/bin/python" "$TBD/openstack_seed.py" seed >"$LOGD/seed.log" 2>&1 ||
            { cat "$LOGD/seed.log" >&2; die "seeding failed"; }
        mark seed
        did "$t0" "seeded networks public/private, router1, flavors, image"
    fi
    build_sample_csar
    "$VENV/bin/python" "$TBD/openstack_seed.py" client-files || die "writing clouds.yaml/openrc failed"
    did "$T0" "OpenStack ready"
}

openstack_down() {
    local n pf all=() cond=() pid
    [ -d "$RUN" ] || return 0
    for n in $API_SERVICES; do
        pf=$RUN/$n.pid
        if pidfile_alive "$pf"; then
            # shellcheck disable=SC2207
            local group=($(pid_and_children "$pf"))
            all+=("${group[@]}")
            [ "$n" = tacker-conductor ] && cond=("${group[@]}")
            note "stopping $n (pid ${group[*]})"
        fi
        rm -f "$pf"
    done
    [ ${#all[@]} -gt 0 ] && kill -TERM "${all[@]}" 2>/dev/null
    # tacker-conductor (cotyledon) hangs in its graceful shutdown; it keeps no state, so it gets 5 s.
    [ ${#cond[@]} -gt 0 ] && stop_pids 5 "${cond[@]}"
    stop_pids 20 "${all[@]}"
    if pidfile_alive "$RUN/rabbitmq.pid"; then
        pid=$(cat "$RUN/rabbitmq.pid")
        note "stopping RabbitMQ (pid $pid)"
        ( rabbit_env; timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl stop "$RUN/rabbitmq.pid" ) >/dev/null 2>&1 || true
        stop_pids 10 "$pid"
    fi
    rm -f "$RUN/rabbitmq.pid"
    # Our RabbitMQ node started an epmd on the private port; stop it once no node is registered.
    if command -v epmd >/dev/null && ERL_EPMD_PORT=$EPMD_PORT epmd -names >/dev/null 2>&1 &&
        ! ERL_EPMD_PORT=$EPMD_PORT epmd -names 2>/dev/null | grep -q '^name '; then
        ERL_EPMD_PORT=$EPMD_PORT epmd -kill >/dev/null 2>&1 && note "stopped epmd on 127.0.0.1:$EPMD_PORT"
    fi
    if pidfile_alive "$RUN/mysqld.pid"; then
        pid=$(cat "$RUN/mysqld.pid")
        note "stopping MariaDB (pid $pid)"
        stop_pids 60 "$pid"
    fi
    rm -f "$RUN/mysqld.pid"
}
