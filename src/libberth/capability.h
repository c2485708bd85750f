/* SPDX-License-Identifier: MIT */
#pragma once

/* Capability names <-> numbers and the add/drop/ALL arithmetic of SPEC §3.
 * Pure: the kernel's cap_last_cap is passed in, never read here. */

#include <stdbool.h>
#include <stdint.h>

#include "log.h"

#define BERTH_CAP_MAX 64

/* Docker's default set: CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID
 * SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE. */
uint64_t capability_docker_default(void);

/* "sys_time", "CAP_SYS_TIME", "Sys_Time" -> 25. Returns -EINVAL for unknown names.
 * "ALL" is not a capability: callers handle it. */
int capability_from_name(const char *name);
/* 25 -> "sys_time" (lower case, no prefix, as pscap and capsh print). NULL if unknown. */
const char *capability_to_name(int cap);
/* Highest capability this build knows by name. */
int capability_last_known(void);
/* Every capability 0..last_cap. */
uint64_t capability_all(int last_cap);

/* The effective set a container gets: SPEC §3.
 *   add/drop are lists of names (any case, with or without CAP_, or ALL);
 *   a name above last_cap is an error (the kernel does not have it). */
int capset_from_lists(char *const *add, char *const *drop, int last_cap, const struct berth_loc *add_loc,
                      const struct berth_loc *drop_loc, uint64_t *ret);

/* Checks one list without computing: every entry is a known name or ALL. */
int capability_list_validate(char *const *names, const struct berth_loc *loc);

/* The five sets of the payload's process (SPEC §3). */
struct berth_capsets {
        uint64_t bounding, permitted, effective, inheritable, ambient;
};

/* From the container's set (capset_from_lists) and the AddCapability= names (add):
 *   root payload:     bounding = permitted = effective = set; inheritable and ambient empty
 *                     (CVE-2022-24769: nothing is inherited across a later exec);
 *   non-root payload: bounding = set; the names in add (ALL: the whole set), as far as they
 *                     are in set, are permitted, effective, inheritable and ambient (Podman's
 *                     rule: User=www-data alone has no effective capability).
 * add must have passed capset_from_lists(); unknown names are ignored here. */
void capsets_for_user(char *const *add, uint64_t set, bool root, struct berth_capsets *ret);

/* "chown, dac_override, ..." ; malloc'ed. */
char *capset_to_string(uint64_t set);
/* Reads /proc/sys/kernel/cap_last_cap; falls back to the build's last known. */
int capability_read_last_cap(void);
