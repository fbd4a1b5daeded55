#ifndef STACKPLAY_CLIBSSH_SHIM_H
#define STACKPLAY_CLIBSSH_SHIM_H
#include <libssh/libssh.h>
#include <libssh/sftp.h>
#include <libssh/server.h>

/// The exit status of a finished exec channel, or -1 when the command died of a signal or the
/// status never arrived. libssh 0.11 deprecates ssh_channel_get_exit_status in favour of
/// ssh_channel_get_exit_state; this keeps one call site building warning-free against both.
static inline int stackplay_channel_exit_status(ssh_channel channel) {
#if LIBSSH_VERSION_INT >= SSH_VERSION_INT(0, 11, 0)
    uint32_t code = 0;
    char *signal_name = NULL;
    int core_dumped = 0;
    if (ssh_channel_get_exit_state(channel, &code, &signal_name, &core_dumped) != SSH_OK) {
        return -1;
    }
    if (signal_name != NULL) {
        ssh_string_free_char(signal_name);
        return -1;
    }
    return (int)code;
#else
    return ssh_channel_get_exit_status(channel);
#endif
}

/// The public key of a known_hosts entry (NULL-safe), so Swift need not reach into the struct.
static inline ssh_key stackplay_knownhosts_entry_key(struct ssh_knownhosts_entry *entry) {
    return entry != NULL ? entry->publickey : NULL;
}

#endif
