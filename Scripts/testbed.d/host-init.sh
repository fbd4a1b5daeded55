#!/usr/bin/env bash
# PID 1 of a test host. Runs inside the host's network namespace, in the mount namespace `ip netns exec`
# made (the host's /etc bound over /etc) and in new UTS, mount and PID namespaces (with its own /proc),
# so the host sees only its own processes: init scripts that look for a daemon by name (`service
# php8.2-fpm status`) then find the host's daemon, not another host's.
# Sets the hostname, binds the host's private state directories, starts sshd, and then reaps the
# orphans of daemons started over SSH, as an init does. When it ends, the kernel ends the whole host.
# usage: host-init.sh NAME HOST_DIR
set -euo pipefail
name=$1 hdir=$2
hostname "$name"
# Ansible's service_mgr fact reads /proc/1/comm: a name ending in "sh" makes it guess systemd from the
# /sbin/init link, and systemctl cannot work here. Under this name it uses the generic `service` path.
printf stackplay-init >/proc/$$/comm
for d in root run var/log var/www var/lib/nginx var/lib/haproxy var/lib/php; do
    [ -d "/$d" ] || mkdir -p "/$d"
    mount --bind "$hdir/$d" "/$d"
done
/usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/sshd.log
trap 'exit 0' TERM INT
# A child that never ends keeps `wait` blocking; bash reaps every other child (adopted ones too).
sleep infinity &
while :; do wait || true; done
