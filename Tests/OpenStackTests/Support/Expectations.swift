import ModuleAPI
import Templating

/// Return keys openstack.cloud's own integration roles assert (`ci/roles/*/defaults/main.yml`, 2.6).
enum DocumentedKeys {
    static let network: Set<String> = [
        "availability_zone_hints", "availability_zones", "created_at", "description", "dns_domain", "id",
        "ipv4_address_scope_id", "ipv6_address_scope_id", "is_admin_state_up", "is_default", "is_port_security_enabled",
        "is_router_external", "is_shared", "is_vlan_transparent", "mtu", "name", "project_id", "provider_network_type",
        "provider_physical_network", "provider_segmentation_id", "qos_policy_id", "revision_number", "segments", "status",
        "subnet_ids", "tags", "updated_at",
    ]
    static let subnet: Set<String> = [
        "allocation_pools", "cidr", "created_at", "description", "dns_nameservers", "dns_publish_fixed_ip", "gateway_ip",
        "host_routes", "id", "ip_version", "ipv6_address_mode", "ipv6_ra_mode", "is_dhcp_enabled", "name", "network_id",
        "prefix_length", "project_id", "revision_number", "segment_id", "service_types", "subnet_pool_id", "tags",
        "updated_at", "use_default_subnet_pool",
    ]
    static let router: Set<String> = [
        "availability_zone_hints", "availability_zones", "created_at", "description", "external_gateway_info", "flavor_id",
        "id", "is_admin_state_up", "is_distributed", "is_ha", "name", "project_id", "revision_number", "routes", "status",
        "tags", "tenant_id", "updated_at",
    ]
    static let port: Set<String> = [
        "allowed_address_pairs", "binding_host_id", "binding_profile", "binding_vif_details", "binding_vif_type",
        "binding_vnic_type", "created_at", "data_plane_status", "description", "device_id", "device_owner", "device_profile",
        "dns_assignment", "dns_domain", "dns_name", "extra_dhcp_opts", "fixed_ips", "id", "ip_allocation", "is_admin_state_up",
        "is_port_security_enabled", "mac_address", "name", "network_id", "numa_affinity_policy", "project_id",
        "propagate_uplink_status", "qos_network_policy_id", "qos_policy_id", "resource_request", "revision_number",
        "security_group_ids", "status", "tags", "tenant_id", "trunk_details", "updated_at",
    ]
    static let securityGroup: Set<String> = [
        "created_at", "description", "name", "project_id", "security_group_rules", "stateful", "tenant_id", "updated_at",
        "revision_number", "id", "tags",
    ]
    static let securityGroupRule: Set<String> = [
        "created_at", "description", "direction", "ether_type", "id", "name", "port_range_max", "port_range_min", "project_id",
        "protocol", "remote_address_group_id", "remote_group_id", "remote_ip_prefix", "revision_number", "security_group_id",
        "tags", "tenant_id", "updated_at",
    ]
    static let keypair: Set<String> = ["created_at", "fingerprint", "id", "is_deleted", "name", "private_key", "public_key", "type", "user_id"]
    static let image: Set<String> = [
        "architecture", "checksum", "container_format", "created_at", "direct_url", "disk_format", "file", "has_auto_disk_config",
        "hash_algo", "hash_value", "hw_cpu_cores", "hw_cpu_policy", "hw_cpu_sockets", "hw_cpu_thread_policy", "hw_cpu_threads",
        "hw_disk_bus", "hw_machine_type", "hw_qemu_guest_agent", "hw_rng_model", "hw_scsi_model", "hw_serial_port_count",
        "hw_video_model", "hw_video_ram", "hw_vif_model", "hw_watchdog_action", "hypervisor_type", "id",
        "instance_type_rxtx_factor", "instance_uuid", "is_hidden", "is_hw_boot_menu_enabled", "is_hw_vif_multiqueue_enabled",
        "is_protected", "kernel_id", "locations", "metadata", "min_disk", "min_ram", "name", "needs_config_drive",
        "needs_secure_boot", "os_admin_user", "os_command_line", "os_distro", "os_require_quiesce", "os_shutdown_timeout",
        "os_type", "os_version", "owner", "owner_id", "properties", "ramdisk_id", "schema", "size", "status", "store", "tags",
        "updated_at", "url", "virtual_size", "visibility", "vm_mode", "vmware_adaptertype", "vmware_ostype",
    ]
    static let flavor: Set<String> = [
        "description", "disk", "ephemeral", "extra_specs", "id", "is_disabled", "is_public", "name", "original_name", "ram",
        "rxtx_factor", "swap", "vcpus",
    ]
    static let project: Set<String> = ["description", "domain_id", "id", "is_domain", "is_enabled", "name", "options", "parent_id", "tags"]
    static let user: Set<String> = [
        "default_project_id", "description", "domain_id", "email", "id", "is_enabled", "links", "name", "password",
        "password_expires_at",
    ]
    static let floatingIP: Set<String> = [
        "created_at", "description", "dns_domain", "dns_name", "fixed_ip_address", "floating_ip_address", "floating_network_id",
        "id", "name", "port_details", "port_id", "project_id", "qos_policy_id", "revision_number", "router_id", "status",
        "subnet_id", "tags", "updated_at",
    ]
    static let server: Set<String> = [
        "access_ipv4", "access_ipv6", "addresses", "admin_password", "attached_volumes", "availability_zone",
        "block_device_mapping", "compute_host", "config_drive", "created_at", "description", "disk_config", "flavor", "flavor_id",
        "has_config_drive", "host_id", "host_status", "hostname", "hypervisor_hostname", "id", "image", "image_id",
        "instance_name", "is_locked", "kernel_id", "key_name", "launch_index", "launched_at", "links", "max_count", "metadata",
        "min_count", "name", "networks", "power_state", "progress", "project_id", "ramdisk_id", "reservation_id",
        "root_device_name", "scheduler_hints", "security_groups", "server_groups", "status", "tags", "task_state",
        "terminated_at", "trusted_image_certificates", "updated_at", "user_data", "user_id", "vm_state", "volumes",
    ]

    /// Whether every documented key is present (the upstream roles assert `expected - keys == []`).
    static func covers(_ expected: Set<String>, _ resource: ValueDictionary?) -> Bool {
        guard let resource else { return false }
        return expected.isSubset(of: Set(resource.keys.compactMap(\.string)))
    }
}

extension Dictionary where Key == String, Value == Templating.Value {
    /// The arguments with `changes` applied on top.
    func with(_ changes: [String: Templating.Value]) -> [String: Templating.Value] {
        merging(changes) { $1 }
    }
}
