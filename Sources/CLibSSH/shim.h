#ifndef STACKPLAY_CLIBSSH_SHIM_H
#define STACKPLAY_CLIBSSH_SHIM_H
#include <libssh/libssh.h>
#include <libssh/sftp.h>
#endif
