"""Prints, as JSON, the state of the VIM resources Playbooks/devstack-infra.yml manages, read with
openstacksdk (openstack.cloud's own client, not stackplay's): everything a playbook sets, nothing the
services assign (ids, timestamps, addresses drawn from a pool), ids replaced by names. Each kind is a
list, so a resource created twice shows up twice.

Usage: python vim_state.py CLOUD
"""
import json
import sys

import openstack

NETWORKS = {"lb-mgmt-net", "net0", "net1"}
SUBNETS = {"lb-mgmt-subnet", "subnet0", "subnet1"}
ROUTERS = {"vr_ext"}
KEYPAIRS = {"ansible-key"}
IMAGES = {"ubuntu-16.04", "ubuntu-18.04"}
PROJECT = "admin"
# Glance fills these in itself; they say where and when, not what.
IMAGE_VOLATILE = {"id", "created_at", "updated_at", "file", "schema", "self", "location", "locations",
                  "direct_url", "owner", "stores", "os_hash_value_index", "updated_at", "virtual_size"}


def main(cloud):
    conn = openstack.connect(cloud=cloud)
    net_names = {n.id: n.name for n in conn.network.networks()}
    subnet_names = {s.id: s.name for s in conn.network.subnets()}
    projects = {p.id: p.name for p in conn.identity.projects()}
    state = {}

    state["networks"] = sorted((
        {"name": n.name, "admin_state_up": n.is_admin_state_up, "shared": n.is_shared,
         "external": n.is_router_external, "port_security": n.is_port_security_enabled, "mtu": n.mtu,
         "description": n.description, "project": projects.get(n.project_id)}
        for n in conn.network.networks() if n.name in NETWORKS), key=json.dumps)

    state["subnets"] = sorted((
        {"name": s.name, "network": net_names.get(s.network_id), "cidr": s.cidr, "ip_version": s.ip_version,
         "dhcp": s.is_dhcp_enabled, "dns_nameservers": s.dns_nameservers, "gateway_ip": s.gateway_ip,
         "allocation_pools": s.allocation_pools, "host_routes": s.host_routes,
         "ipv6_ra_mode": s.ipv6_ra_mode, "ipv6_address_mode": s.ipv6_address_mode,
         "description": s.description, "project": projects.get(s.project_id)}
        for s in conn.network.subnets() if s.name in SUBNETS), key=json.dumps)

    routers = []
    for r in conn.network.routers():
        if r.name not in ROUTERS:
            continue
        gateway = r.external_gateway_info or {}
        interfaces = sorted(
            (subnet_names.get(ip["subnet_id"]), ip["ip_address"])
            for port in conn.network.ports(device_id=r.id, device_owner="network:router_interface")
            for ip in port.fixed_ips)
        routers.append({
            "name": r.name, "admin_state_up": r.is_admin_state_up, "description": r.description,
            "project": projects.get(r.project_id),
            "external_network": net_names.get(gateway.get("network_id")),
            "enable_snat": gateway.get("enable_snat"),
            # The external address is drawn from the public pool: only its subnet is the playbook's.
            "external_subnets": sorted(subnet_names.get(ip["subnet_id"]) for ip in gateway.get("external_fixed_ips") or []),
            "interfaces": interfaces})
    state["routers"] = sorted(routers, key=json.dumps)

    state["keypairs"] = sorted((
        {"name": k.name, "public_key": k.public_key, "fingerprint": k.fingerprint, "type": k.type}
        for k in conn.compute.keypairs() if k.name in KEYPAIRS), key=json.dumps)

    images = []
    for image in conn.image.images():
        if image.name not in IMAGES:
            continue
        raw = {key: value for key, value in image.to_dict(computed=False).items() if key not in IMAGE_VOLATILE}
        raw.pop("location", None)
        raw["properties"] = {k: v for k, v in (raw.get("properties") or {}).items() if k not in IMAGE_VOLATILE}
        images.append(raw)
    state["images"] = sorted(images, key=lambda i: json.dumps(i, sort_keys=True, default=str))

    rules = []
    for group in conn.network.security_groups(name="default"):
        if projects.get(group.project_id) != PROJECT:
            continue
        for rule in conn.network.security_group_rules(security_group_id=group.id):
            rules.append({
                "direction": rule.direction, "ethertype": rule.ether_type, "protocol": rule.protocol,
                "port_range_min": rule.port_range_min, "port_range_max": rule.port_range_max,
                "remote_ip_prefix": rule.remote_ip_prefix, "remote_group_is_self": rule.remote_group_id == group.id,
                "description": rule.description})
    state["default_security_group_rules"] = sorted(rules, key=json.dumps)

    json.dump(state, sys.stdout, indent=1, sort_keys=True, default=str)
    print()


if __name__ == "__main__":
    main(sys.argv[1])
