#!/usr/bin/env bash
# A throwaway OpenSSH sshd on 127.0.0.1 for the SSH transport tests.
#
#   Scripts/sshd-fixture.sh start DIR [PORT]   start sshd (a free port unless PORT is given); prints the port
#   Scripts/sshd-fixture.sh stop DIR           stop it
#
# DIR receives (generated once, reused by later starts):
#   host_ed25519            the server's host key
#   client_ed25519          a client key in authorized_keys
#   client_rsa, client_ecdsa  more authorized client keys
#   client_encrypted        an authorized ed25519 key encrypted with the passphrase in `passphrase`
#   stranger_ed25519        a key that is NOT authorized
#   known_hosts             `[127.0.0.1]:PORT <host key>` for the current port
#   port, sshd.pid, sshd.log
#
# Environment: SSHD_FIXTURE_KEYS=KEYDIR keeps the keys (and known_hosts' key) in KEYDIR instead, so
# several servers can share them; SSHD_FIXTURE_CONFIG adds lines to sshd_config.
#
# sshd runs in a private mount namespace where /etc/passwd, /etc/shadow and /etc/group are copies
# with a test user `spuser` (password `sp-user-pass`, shell /bin/sh, home DIR/home/spuser) and
# root's password set to `sp-root-pass` (and its shell to /bin/sh), so password logins and `su` with a password can be tested
# without touching the machine's real account files. When sudo is installed, /etc/sudoers there
# lets spuser run anything after typing its password.
set -euo pipefail

command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
keys=${SSHD_FIXTURE_KEYS:-$dir}
mkdir -p "$keys"
keys=$(cd "$keys" && pwd)

stop() {
    if [ -f "$dir/sshd.pid" ]; then
        local pid
        pid=$(cat "$dir/sshd.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        rm -f "$dir/sshd.pid"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

make_keys() {
    # Servers started in parallel may share KEYDIR: generate under a lock.
    exec 9>"$keys/.lock"
    flock 9
    [ -f "$keys/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C stackplay-test-host -f "$keys/host_ed25519"
    [ -f "$keys/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C client-ed25519 -f "$keys/client_ed25519"
    [ -f "$keys/client_rsa" ] || ssh-keygen -q -t rsa -b 2048 -N '' -C client-rsa -f "$keys/client_rsa"
    [ -f "$keys/client_ecdsa" ] || ssh-keygen -q -t ecdsa -b 256 -N '' -C client-ecdsa -f "$keys/client_ecdsa"
    [ -f "$keys/passphrase" ] || echo 'correct horse battery staple' >"$keys/passphrase"
    [ -f "$keys/client_encrypted" ] ||
        ssh-keygen -q -t ed25519 -N "$(cat "$keys/passphrase")" -C client-encrypted -f "$keys/client_encrypted"
    [ -f "$keys/stranger_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C stranger -f "$keys/stranger_ed25519"
    # Written once and renamed into place: servers that share KEYDIR read it while others start.
    if [ ! -f "$keys/authorized_keys" ]; then
        cat "$keys"/client_{ed25519,rsa,ecdsa,encrypted}.pub >"$keys/authorized_keys.tmp"
        mv "$keys/authorized_keys.tmp" "$keys/authorized_keys"
    fi
    chmod 600 "$keys"/client_* "$keys/stranger_ed25519" "$keys/host_ed25519"
    flock -u 9
}

# Account files for the private namespace: the real ones plus the test user and known passwords.
make_accounts() {
    local accounts=$dir/accounts
    mkdir -p "$accounts" "$dir/home/spuser"
    local user_hash root_hash
    user_hash=$(openssl passwd -6 sp-user-pass)
    root_hash=$(openssl passwd -6 sp-root-pass)
    # root gets /bin/sh: sshd runs every command through the login shell, and this machine's root
    # ~/.bashrc (pyenv init) costs most of a second per command, which would swamp what the tests time.
    grep -v -e '^spuser:' -e '^root:' /etc/passwd >"$accounts/passwd"
    echo "root:x:0:0:root:/root:/bin/sh" >>"$accounts/passwd"
    echo "spuser:x:4242:4242:stackplay test user:$dir/home/spuser:/bin/sh" >>"$accounts/passwd"
    grep -v '^spuser:' /etc/group >"$accounts/group"
    echo "spuser:x:4242:" >>"$accounts/group"
    grep -v -e '^spuser:' -e '^root:' /etc/shadow >"$accounts/shadow"
    echo "root:$root_hash:19000:0:99999:7:::" >>"$accounts/shadow"
    echo "spuser:$user_hash:19000:0:99999:7:::" >>"$accounts/shadow"
    chmod 644 "$accounts/passwd" "$accounts/group"
    chmod 640 "$accounts/shadow"
    chown root:shadow "$accounts/shadow" 2>/dev/null || true
    chown 4242:4242 "$dir/home/spuser"
    printf 'Defaults !lecture\nroot ALL=(ALL:ALL) ALL\nspuser ALL=(ALL:ALL) ALL\n' >"$accounts/sudoers"
    chmod 440 "$accounts/sudoers"
}

start() {
    local port=${1:-}
    [ -n "$port" ] || port=$(free_port)
    stop
    mkdir -p /run/sshd
    make_keys
    make_accounts
    cat >"$dir/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $keys/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $keys/authorized_keys
UsePAM no
StrictModes no
PermitRootLogin yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowTcpForwarding yes
MaxSessions 64
MaxStartups 64:30:100
Subsystem sftp internal-sftp
LogLevel VERBOSE
${SSHD_FIXTURE_CONFIG:-}
EOF
    echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$keys/host_ed25519.pub")" >"$dir/known_hosts"
    echo "$port" >"$dir/port"
    local binds="mount --bind $dir/accounts/passwd /etc/passwd && mount --bind $dir/accounts/shadow /etc/shadow"
    binds+=" && mount --bind $dir/accounts/group /etc/group"
    [ -f /etc/sudoers ] && binds+=" && mount --bind $dir/accounts/sudoers /etc/sudoers"
    unshare --mount --propagation private sh -c "$binds && exec /usr/sbin/sshd -f '$dir/sshd_config' -E '$dir/sshd.log'"
    for _ in $(seq 100); do
        if [ -f "$dir/sshd.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
        sleep 0.05
    done
    echo "sshd did not start; see $dir/sshd.log" >&2
    tail -20 "$dir/sshd.log" >&2 || true
    exit 1
}

case "$command" in
start) start "${3:-}" ;;
stop) stop ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
