# shellcheck shell=bash
# Optional full Nova compute for the test bed (`up --compute`, then remembered; sourced by Scripts/testbed).
#
# Placement :8778 (gunicorn, sqlite), nova-conductor, nova-scheduler and nova-compute with the fake virt
# driver, talking over the test bed's RabbitMQ; nova-api then uses RabbitMQ too. Servers reach ACTIVE
# without networks (`--nic none`): with a Neutron port, ML2's openvswitch driver cannot bind it
# because there is no OVS agent, and Nova fails the build with PortBindingFailed.

PLACEMENT_PORT=$(port PLACEMENT 8778)
COMPUTE_SERVICES="nova-conductor nova-scheduler nova-compute"

compute_enabled() { [ -e "$DATA/.compute" ]; }


write_compute_configs() {
    mkdir -p "$ETC/placement" "$DATA/placement" "$DATA/nova/instances"
    cat >"$ETC/placement/placement.conf" <<EOF
[DEFAULT]
log_file = $LOGD/placement.log
[api]
auth_strategy = keystone
[placement_database]
connection = sqlite:///$DATA/placement/placement.db
$(authtoken_section placement)
EOF
    # Layered over nova.conf by every nova process once compute is on.
    cat >"$ETC/nova/nova-rpc.conf" <<EOF
[DEFAULT]
transport_url = $RABBIT_URL
instances_path = $DATA/nova/instances
# The fake driver with one stable node: its UUID persists in state_path/compute_id across restarts
# (plain FakeDriver invents a new node UUID per start and then finds a duplicate node).
compute_driver = fake.FakeDriverWithoutFakeNodes
[scheduler]
# New compute hosts are mapped by up (nova-manage cell_v2 discover_hosts), not by polling.
discover_hosts_in_cells_interval = -1
[conductor]
workers = 1
[filter_scheduler]
enabled_filters = ComputeFilter,ImagePropertiesFilter
[oslo_concurrency]
lock_path = $DATA/locks/nova
# Neutron lets a member delete a compute port only with a service token (role service) beside it,
# as DevStack configures.
$(service_auth_section service_user nova)
send_service_user_token = true
EOF
    printf '# gunicorn entry for placement: oslo.config must not see gunicorn'"'"'s own flags.\nimport sys\nsys.argv = sys.argv[:1]\nfrom placement.wsgi.api import application  # noqa: E402,F401\n' \
        >"$OS_DIR/wsgi/placement_app.py"
}

# nova-api reads its files from OS_NOVA_CONFIG_DIR; with compute it needs RabbitMQ to reach the conductor.
nova_api_files() {
    if compute_enabled; then echo "api-paste.ini;nova.conf;nova-rpc.conf"; else echo "api-paste.ini;nova.conf"; fi
}

NOVA_FILES=(--config-file "$ETC/nova/nova.conf" --config-file "$ETC/nova/nova-rpc.conf")

compute_db() {
    [ "$(nova_db_backend)" = mysql ] ||
        die "--compute needs Nova's databases on MariaDB, and this state has them on sqlite: run
    Scripts/testbed down --only openstack && rm -rf .testbed/openstack && Scripts/testbed up --compute"
    if ! marker placement-db; then
        OS_PLACEMENT_CONFIG_DIR=$ETC/placement "$VENV/bin/placement-manage" --config-file "$ETC/placement/placement.conf" \
            db sync >"$LOGD/placement-manage.log" 2>&1 || die "placement db sync failed (see $LOGD/placement-manage.log)"
        mark placement-db
    fi
    if ! marker cell1-rabbit; then
        # cell1 was created with nova.conf's fake:// transport; its mapping must carry RabbitMQ's URL.
        local uuid
        uuid=$("$VENV/bin/nova-manage" "${NOVA_FILES[@]}" cell_v2 list_cells 2>/dev/null | awk -F'|' '$2 ~ / cell1 / { gsub(/ /, "", $3); print $3 }')
        "$VENV/bin/nova-manage" "${NOVA_FILES[@]}" cell_v2 update_cell --cell_uuid "$uuid" --transport-url "$RABBIT_URL" \
            >>"$LOGD/nova-manage.log" 2>&1 || die "nova-manage cell_v2 update_cell failed"
        mark cell1-rabbit
    fi
}

# ML2's openvswitch driver binds a port only to a host with a live OVS agent. The fake compute host has
# none, so the test bed records one for it, and tells neutron that agents go stale only after 24 days.
neutron_compute_settings() {
    echo "agent_down_time = 2147483"  # the largest neutron accepts, 24.8 days; up refreshes the heartbeat
    # As on DevStack: a floating IP or fixed address change reaches Nova as a network-changed event, so a
    # server's `addresses` (Nova's cache, what openstacksdk waits on for auto_ip) shows it.
    # Ends with neutron.conf's [nova] section: the caller puts it last in [DEFAULT].
    echo "notify_nova_on_port_data_changes = true"
    service_auth_section nova neutron
}

register_fake_ovs_agent() {
    mariadb --socket="$MYSQL_SOCK" -uroot neutron -e "
        INSERT INTO agents (id, agent_type, \`binary\`, topic, host, admin_state_up, created_at, started_at,
            heartbeat_timestamp, description, configurations, \`load\`, availability_zone, resources_synced)
        SELECT UUID(), 'Open vSwitch agent', 'neutron-openvswitch-agent', 'N/A', 'stackplay', 1,
            UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP(),
            'stand-in for the OVS agent of the test bed''s fake compute host',
            '{\"bridge_mappings\": {\"public\": \"br-ex\"}, \"tunnel_types\": [\"vxlan\"], \"integration_bridge\": \"br-int\", \"ovs_hybrid_plug\": false, \"datapath_type\": \"system\"}',
            0, 'nova', 1
        FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM agents WHERE host = 'stackplay' AND agent_type = 'Open vSwitch agent');
        UPDATE agents SET heartbeat_timestamp = UTC_TIMESTAMP() WHERE host = 'stackplay' AND agent_type = 'Open vSwitch agent'" ||
        die "recording the fake compute host's OVS agent failed"
}

compute_up() {
    local t0 started=() n
    t0=$(now_ms)
    write_compute_configs
    compute_db
    start_gunicorn placement "$PLACEMENT_PORT" "OS_PLACEMENT_CONFIG_DIR=$ETC/placement" && started+=(placement)
    for n in $COMPUTE_SERVICES; do
        start_daemon "$n" "$VENV/bin/$n" "${NOVA_FILES[@]}" --log-file "$LOGD/$n.log" && started+=("$n")
    done
    wait_http placement "http://127.0.0.1:$PLACEMENT_PORT/" 120 "$LOGD/placement-gunicorn.log" "$RUN/placement.pid"
    [[ " ${started[*]} " == *" nova-compute "* ]] && wait_rpc_consumer compute.stackplay nova-compute
    [[ " ${started[*]} " == *" nova-conductor "* ]] && wait_rpc_consumer conductor nova-conductor
    [ ${#started[@]} -gt 0 ] && did "$t0" "started ${started[*]}"
    if ! marker compute-host; then
        t0=$(now_ms)
        wait_compute_service
        "$VENV/bin/nova-manage" "${NOVA_FILES[@]}" cell_v2 discover_hosts >>"$LOGD/nova-manage.log" 2>&1 ||
            die "nova-manage cell_v2 discover_hosts failed"
        mark compute-host
        did "$t0" "mapped compute host stackplay into cell1"
    fi
}

# nova-compute registers its service row and resource provider on start; discover_hosts needs both.
wait_compute_service() {
    local i
    for ((i = 0; i < 240; i++)); do
        compute_node_exists && return 0
        pidfile_alive "$RUN/nova-compute.pid" || { tail -n 30 "$LOGD/nova-compute.log" >&2; die "nova-compute died"; }
        sleep 0.5
    done
    die "nova-compute did not register (see $LOGD/nova-compute.log)"
}

compute_node_exists() {
    [ "$(mariadb --socket="$MYSQL_SOCK" -uroot -N nova_cell1 \
        -e "SELECT COUNT(*) FROM compute_nodes WHERE deleted = 0" 2>/dev/null)" -gt 0 ] 2>/dev/null
}

