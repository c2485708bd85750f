/* SPDX-License-Identifier: MIT */
#pragma once

/* Capabilities and identity, in the order the kernel needs them (SPEC §3): bounding set
 * first while still privileged, then keep-caps across the user switch, then capset for
 * permitted/effective/inheritable, then ambient for a non-root user (only what AddCapability= named), then
 * no_new_privs. */

#include <stdbool.h>
#include <stdint.h>

#include "capability.h"
#include "spec.h"
#include "user.h"

/* The container's set: capset_from_lists() with the kernel's cap_last_cap; ALL is limited to
 * what the helper itself may hold (its bounding set); a capability that was asked for by
 * name (or is a default) but is outside that set is an error. */
int caps_compute(const struct berth_spec *s, int last_cap, uint64_t *ret);
/* The helper's own bounding set. */
uint64_t caps_read_bounding(int last_cap);

int caps_drop_bounding(uint64_t keep, int last_cap);
int user_switch(const struct exec_user *u);
/* capset: permitted, effective and inheritable as capsets_for_user() computed them. */
int caps_apply(const struct berth_capsets *sets);
int caps_raise_ambient(uint64_t caps, int last_cap);
int set_no_new_privs(void);
