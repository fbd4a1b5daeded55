/// ansible-core's own routing of legacy module names (`lib/ansible/config/ansible_builtin_runtime.yml`,
/// the `os_*` entries): a short-name task `os_subnet:` still resolves, silently, to
/// `openstack.cloud.subnet`. The `*_facts` names point at modules that no longer exist, so they
/// fail to resolve, as in Ansible.
public enum LegacyModuleRouting {
    /// Legacy name → redirect target (FQCN).
    public static let redirects: [String: String] = [
        "os_auth": "openstack.cloud.auth",
        "os_client_config": "openstack.cloud.config",
        "os_coe_cluster": "openstack.cloud.coe_cluster",
        "os_coe_cluster_template": "openstack.cloud.coe_cluster_template",
        "os_flavor_facts": "openstack.cloud.os_flavor_info",
        "os_flavor_info": "openstack.cloud.compute_flavor_info",
        "os_floating_ip": "openstack.cloud.floating_ip",
        "os_group": "openstack.cloud.identity_group",
        "os_group_info": "openstack.cloud.identity_group_info",
        "os_image": "openstack.cloud.image",
        "os_image_facts": "openstack.cloud.os_image_info",
        "os_image_info": "openstack.cloud.image_info",
        "os_ironic": "openstack.cloud.baremetal_node",
        "os_ironic_inspect": "openstack.cloud.baremetal_inspect",
        "os_ironic_node": "openstack.cloud.baremetal_node_action",
        "os_keypair": "openstack.cloud.keypair",
        "os_keystone_domain": "openstack.cloud.identity_domain",
        "os_keystone_domain_facts": "openstack.cloud.os_keystone_domain_info",
        "os_keystone_domain_info": "openstack.cloud.identity_domain_info",
        "os_keystone_endpoint": "openstack.cloud.endpoint",
        "os_keystone_role": "openstack.cloud.identity_role",
        "os_keystone_service": "openstack.cloud.catalog_service",
        "os_listener": "openstack.cloud.lb_listener",
        "os_loadbalancer": "openstack.cloud.loadbalancer",
        "os_member": "openstack.cloud.lb_member",
        "os_network": "openstack.cloud.network",
        "os_networks_facts": "openstack.cloud.os_networks_info",
        "os_networks_info": "openstack.cloud.networks_info",
        "os_nova_flavor": "openstack.cloud.compute_flavor",
        "os_nova_host_aggregate": "openstack.cloud.host_aggregate",
        "os_object": "openstack.cloud.object",
        "os_pool": "openstack.cloud.lb_pool",
        "os_port": "openstack.cloud.port",
        "os_port_facts": "openstack.cloud.os_port_info",
        "os_port_info": "openstack.cloud.port_info",
        "os_project": "openstack.cloud.project",
        "os_project_access": "openstack.cloud.project_access",
        "os_project_facts": "openstack.cloud.os_project_info",
        "os_project_info": "openstack.cloud.project_info",
        "os_quota": "openstack.cloud.quota",
        "os_recordset": "openstack.cloud.recordset",
        "os_router": "openstack.cloud.router",
        "os_security_group": "openstack.cloud.security_group",
        "os_security_group_rule": "openstack.cloud.security_group_rule",
        "os_server": "openstack.cloud.server",
        "os_server_action": "openstack.cloud.server_action",
        "os_server_facts": "openstack.cloud.os_server_info",
        "os_server_group": "openstack.cloud.server_group",
        "os_server_info": "openstack.cloud.server_info",
        "os_server_metadata": "openstack.cloud.server_metadata",
        "os_server_volume": "openstack.cloud.server_volume",
        "os_stack": "openstack.cloud.stack",
        "os_subnet": "openstack.cloud.subnet",
        "os_subnets_facts": "openstack.cloud.os_subnets_info",
        "os_subnets_info": "openstack.cloud.subnets_info",
        "os_user": "openstack.cloud.identity_user",
        "os_user_facts": "openstack.cloud.os_user_info",
        "os_user_group": "openstack.cloud.group_assignment",
        "os_user_info": "openstack.cloud.identity_user_info",
        "os_user_role": "openstack.cloud.role_assignment",
        "os_volume": "openstack.cloud.volume",
        "os_volume_snapshot": "openstack.cloud.volume_snapshot",
        "os_zone": "openstack.cloud.dns_zone",
    ]

    /// The redirect target of `name` (also when written as `ansible.builtin.os_x` / `ansible.legacy.os_x`).
    public static func redirect(_ name: String) -> String? {
        for prefix in ["ansible.builtin.", "ansible.legacy."] where name.hasPrefix(prefix) {
            return redirects[String(name.dropFirst(prefix.count))]
        }
        return redirects[name]
    }
}
