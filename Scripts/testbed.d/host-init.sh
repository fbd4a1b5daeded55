#!/usr/bin/env bash
# Runs inside a test host's network namespace, in the mount namespace `ip netns exec` made (with the
# host's /etc bound over /etc) and a new UTS namespace: sets the hostname, binds the host's private
# state directories, and starts its sshd, which every login and daemon of the host then descends from.
# usage: host-init.sh NAME HOST_DIR
set -euo pipefail
name=$1 hdir=$2
hostname "$name"
for d in run var/log var/www var/lib/nginx var/lib/haproxy var/lib/php; do
    [ -d "/$d" ] || mkdir -p "/$d"
    mount --bind "$hdir/$d" "/$d"
done
exec /usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/sshd.log
