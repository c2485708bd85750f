/* SPDX-License-Identifier: MIT */
/* System call number -> name on this machine's architecture, through libseccomp. A file of
 * its own, built without berth's include path: berth's seccomp.h would shadow libseccomp's. */
#include <seccomp.h>

#include "syscall-name.h"

char *learn_syscall_name(int nr) {
        if (nr < 0)
                return 0;
        return seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
}
