# shellcheck shell=bash
# Optional Heat for the test bed (`up --heat`, then remembered; sourced by Scripts/testbed after compute.sh).
#
# heat-api :8004 (gunicorn, the WSGI app; Heat no longer ships an eventlet heat-api) and one heat-engine,
# over the test bed's MariaDB (database heat) and RabbitMQ. Keystone gets what DevStack's lib/heat creates:
# service user heat, the orchestration endpoint http://127.0.0.1:8004/v1/$(project_id)s, the roles
# heat_stack_owner and heat_stack_user, and the domain heat with its admin heat_domain_admin. Tacker's
# OpenStack VIM driver finds Heat in the catalog, so Tacker needs no change. No heat-api-cfn: no template
# of the test bed uses wait conditions or metadata. openstack-heat is installed into the venv only
# with --heat, pinned (with its dependencies) by constraints.txt; python-blazarclient stays at 4.5.0, because
# 4.6.0 names a missing class in its openstack CLI entry points and every `openstack` call then warns.

HEAT_PORT=$(port HEAT 8004)
HEAT_PIP=openstack-heat==27.0.1
HEAT_SERVICES="heat-api heat-engine"
# openstack_down stops these with the rest.
API_SERVICES="$API_SERVICES $HEAT_SERVICES"
export TB_HEAT_PORT=$HEAT_PORT

heat_enabled() { [ -e "$DATA/.heat" ]; }

ensure_heat_venv() {
    local want t0
    want=$(echo "$HEAT_PIP" | cat - "$TBD/constraints.txt" | md5sum | cut -d' ' -f1)
    if [ -x "$VENV/bin/heat-engine" ] && [ "$(cat "$VENV/.stackplay-heat" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    t0=$(now_ms)
    "$VENV/bin/pip" install -q --disable-pip-version-check "$HEAT_PIP" -c "$TBD/constraints.txt" \
        >"$LOGD/pip-install-heat.log" 2>&1 || { tail -n 30 "$LOGD/pip-install-heat.log" >&2; die "pip install $HEAT_PIP failed"; }
    echo "$want" >"$VENV/.stackplay-heat"
    did "$t0" "pip install $HEAT_PIP into .testbed/venv"
}

write_heat_configs() {
    mkdir -p "$ETC/heat" "$DATA/heat" "$DATA/locks/heat"
    cp "$VENV/etc/heat/api-paste.ini" "$ETC/heat/api-paste.ini"
    cat >"$ETC/heat/heat.conf" <<EOF
[DEFAULT]
host = stackplay
transport_url = $RABBIT_URL
state_path = $DATA/heat
region_name_for_services = $REGION
num_engine_workers = 1
# What DevStack's lib/heat sets: users Heat creates for stacks live in the domain heat.
stack_user_domain_name = heat
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = heat_domain_admin
heat_metadata_server_url = http://127.0.0.1:8000
heat_waitcondition_server_url = http://127.0.0.1:8000/v1/waitcondition
[database]
connection = $MYSQL_URL/heat?charset=utf8mb4
$(authtoken_section heat)
[trustee]
auth_type = password
auth_url = $KS_URL
username = heat
password = heat
user_domain_name = Default
[clients_keystone]
auth_uri = $KS_CATALOG_URL
[paste_deploy]
api_paste_config = $ETC/heat/api-paste.ini
[oslo_concurrency]
lock_path = $DATA/locks/heat
[oslo_messaging_notifications]
driver = noop
EOF
    # The WSGI app parses sys.argv with oslo.config: give it the config file instead of gunicorn's flags.
    cat >"$OS_DIR/wsgi/heat-api_app.py" <<EOF
# gunicorn entry for heat-api: oslo.config must see its own flags, not gunicorn's.
import sys
sys.argv = [sys.argv[0], '--config-file', '$ETC/heat/heat.conf', '--log-file', '$LOGD/heat-api.log']
from heat.wsgi.api import application  # noqa: E402,F401
EOF
}

heat_db() {
    marker heat-db && return 0
    mariadb --socket="$MYSQL_SOCK" -uroot -e "CREATE DATABASE IF NOT EXISTS heat CHARACTER SET utf8mb4" ||
        die "creating the heat database failed"
    "$VENV/bin/heat-manage" --config-file "$ETC/heat/heat.conf" db_sync >"$LOGD/heat-manage.log" 2>&1 ||
        die "heat-manage db_sync failed (see $LOGD/heat-manage.log)"
    mark heat-db
}

heat_up() {
    local t0 started=()
    ensure_heat_venv
    write_heat_configs
    t0=$(now_ms)
    heat_db
    if ! marker keystone-register-heat; then
        "$VENV/bin/python" "$TBD/openstack_seed.py" register-heat >"$LOGD/register-heat.log" 2>&1 ||
            { cat "$LOGD/register-heat.log" >&2; die "keystone registration of heat failed"; }
        mark keystone-register-heat
        did "$t0" "heat database, keystone service/domain/roles"
    fi
    t0=$(now_ms)
    start_gunicorn heat-api "$HEAT_PORT" "HEAT_CONFIG=$ETC/heat" && started+=(heat-api)
    start_daemon heat-engine "$VENV/bin/heat-engine" --config-file "$ETC/heat/heat.conf" \
        --log-file "$LOGD/heat-engine.log" && started+=(heat-engine)
    wait_http heat-api "http://127.0.0.1:$HEAT_PORT/" 180 "$LOGD/heat-api-gunicorn.log" "$RUN/heat-api.pid"
    [[ " ${started[*]} " == *" heat-engine "* ]] && wait_rpc_consumer engine heat-engine
    if [ ${#started[@]} -gt 0 ]; then
        # The version document bypasses authentication; one authenticated request builds the pipeline.
        curl -s --max-time 60 -o /dev/null "http://127.0.0.1:$HEAT_PORT/v1/x/stacks" || true
        did "$t0" "started ${started[*]} on 127.0.0.1:$HEAT_PORT"
    fi
}
