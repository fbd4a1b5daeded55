# shellcheck shell=bash
# Writes every OpenStack service config under $ETC (sourced by Scripts/testbed after openstack.sh).
# Regenerated on each `up`; a running service keeps the config it started with.

# The [keystone_authtoken] section of a service whose service user is $1 (password = user name).
authtoken_section() {
    cat <<EOF
[keystone_authtoken]
www_authenticate_uri = $KS_URL
auth_url = $KS_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $1
EOF
}

# [neutron]/[placement] style sections: a service user that calls another service.
service_auth_section() { # section user
    cat <<EOF
[$1]
auth_type = password
auth_url = $KS_URL
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $2
region_name = $REGION
EOF
}

write_openstack_configs() {
    mkdir -p "$ETC"/{keystone,glance,neutron,nova,tacker,mysql,rabbitmq} "$OS_DIR/wsgi" \
        "$DATA"/{keystone,glance/images,glance/staging,glance/tasks,neutron,nova,tacker/vim_keys,tacker/csar,tacker/csar_files,locks,mysql,rabbitmq} \
        "$LOGD/rabbitmq"
    cp "$VENV/etc/neutron/api-paste.ini" "$ETC/neutron/api-paste.ini"
    cp "$VENV/etc/glance/glance-api-paste.ini" "$ETC/glance/glance-api-paste.ini"
    cp "$VENV/etc/nova/api-paste.ini" "$ETC/nova/api-paste.ini"
    cp "$VENV/etc/tacker/api-paste.ini" "$ETC/tacker/api-paste.ini"

    cat >"$ETC/mysql/my.cnf" <<EOF
[mysqld]
datadir = $DATA/mysql
socket = $MYSQL_SOCK
pid-file = $RUN/mysqld.pid
port = $MYSQL_PORT
bind-address = 127.0.0.1
user = root
skip-name-resolve
skip-log-bin
log-error = $LOGD/mariadb.log
innodb_buffer_pool_size = 128M
innodb_log_file_size = 48M
innodb_flush_log_at_trx_commit = 2
max_connections = 500
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
EOF

    echo '[].' >"$ETC/rabbitmq/enabled_plugins"
    : >"$ETC/rabbitmq/rabbitmq-env.conf"
    cat >"$ETC/rabbitmq/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$RABBIT_PORT
log.console = false
EOF

    cat >"$ETC/keystone/keystone.conf" <<EOF
[DEFAULT]
log_file = $LOGD/keystone.log
[database]
connection = sqlite:///$DATA/keystone/keystone.db
[token]
provider = fernet
expiration = 14400
[fernet_tokens]
key_repository = $DATA/keystone/fernet-keys
[credential]
key_repository = $DATA/keystone/credential-keys
EOF

    cat >"$ETC/neutron/neutron.conf" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $NEUTRON_PORT
core_plugin = ml2
# DevStack's plugins; openstack.cloud's subnet role calls /v2.0/segments.
service_plugins = router,segments
auth_strategy = keystone
transport_url = fake://
state_path = $DATA/neutron
log_file = $LOGD/neutron.log
api_paste_config = $ETC/neutron/api-paste.ini
notify_nova_on_port_status_changes = false
allow_overlapping_ips = true
$(if compute_enabled; then neutron_compute_settings; else echo "notify_nova_on_port_data_changes = false"; fi)
[database]
connection = $MYSQL_URL/neutron?charset=utf8mb4
$(authtoken_section neutron)
[oslo_concurrency]
lock_path = $DATA/locks/neutron
[oslo_messaging_notifications]
driver = noop
EOF
    cat >"$ETC/neutron/ml2_conf.ini" <<EOF
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = openvswitch
extension_drivers = port_security
[ml2_type_flat]
flat_networks = public
[ml2_type_vlan]
network_vlan_ranges = public
[ml2_type_vxlan]
vni_ranges = 1:1000
EOF

    cat >"$ETC/glance/glance-api.conf" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $GLANCE_PORT
log_file = $LOGD/glance.log
enabled_backends = fs:file
worker_self_reference_url = http://127.0.0.1:$GLANCE_PORT
transport_url = fake://
[database]
connection = sqlite:///$DATA/glance/glance.db
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $DATA/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $DATA/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $DATA/glance/tasks
[paste_deploy]
flavor = keystone
config_file = $ETC/glance/glance-api-paste.ini
$(authtoken_section glance)
[oslo_concurrency]
lock_path = $DATA/locks/glance
[oslo_messaging_notifications]
driver = noop
EOF

    cat >"$ETC/nova/nova.conf" <<EOF
[DEFAULT]
host = stackplay
log_file = $LOGD/nova.log
transport_url = ${NOVA_TRANSPORT_URL:-fake://}
state_path = $DATA/nova
my_ip = 127.0.0.1
[api]
auth_strategy = keystone
[api_database]
connection = $(nova_db_url nova_api)
[database]
connection = $(nova_db_url nova_cell1)
$(authtoken_section nova)
[oslo_concurrency]
lock_path = $DATA/locks/nova
[oslo_messaging_notifications]
driver = noop
[wsgi]
api_paste_config = $ETC/nova/api-paste.ini
[glance]
api_servers = http://127.0.0.1:$GLANCE_PORT
$(service_auth_section neutron neutron)
$(service_auth_section placement nova)
[vnc]
enabled = false
EOF

    cat >"$ETC/tacker/tacker.conf" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $TACKER_PORT
auth_strategy = keystone
transport_url = $RABBIT_URL
api_paste_config = $ETC/tacker/api-paste.ini
state_path = $DATA/tacker
graceful_shutdown_timeout = 10
[database]
connection = $MYSQL_URL/tacker?charset=utf8mb4
$(authtoken_section tacker)
[oslo_concurrency]
lock_path = $DATA/locks/tacker
[oslo_messaging_notifications]
driver = noop
[vim_keys]
openstack = $DATA/tacker/vim_keys
use_barbican = false
[vnf_package]
vnf_package_csar_path = $DATA/tacker/csar_files
[vnf_lcm]
# Tacker builds LCM Location headers and notifications from this (default http://localhost:9890/).
endpoint_url = http://127.0.0.1:$TACKER_PORT/
[glance_store]
default_backend = file
filesystem_store_datadir = $DATA/tacker/csar
EOF

    compute_enabled && write_compute_configs
    local svc module
    for svc in keystone:keystone.wsgi.api neutron:neutron.wsgi.api glance:glance.wsgi.api nova:nova.wsgi.osapi_compute; do
        module=${svc#*:}
        printf '# gunicorn entry for %s: oslo.config must not see gunicorn'"'"'s own flags.\nimport sys\nsys.argv = sys.argv[:1]\nfrom %s import application  # noqa: E402,F401\n' \
            "${svc%%:*}" "$module" >"$OS_DIR/wsgi/${svc%%:*}_app.py"
    done
}
