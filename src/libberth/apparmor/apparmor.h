/* SPDX-License-Identifier: MIT */
#pragma once

/* AppArmor, pure logic (no kernel access here): profile names, the kernel's list of loaded
 * profiles, and the profile `berth apparmor` derives from a description. berth-exec's side
 * (loading berth-default, arming the change at exec) is src/exec/apparmor.c. */

#include <stdbool.h>
#include <stdint.h>

#include "spec.h"
#include "util.h"

#define APPARMOR_DEFAULT_PROFILE "berth-default"
#define APPARMOR_UNCONFINED "unconfined"
/* Where profiles live and what the kernel says about AppArmor. */
#define APPARMOR_PROFILE_DIR "/etc/apparmor.d"
#define APPARMOR_ENABLED_FILE "/sys/module/apparmor/parameters/enabled"
#define APPARMOR_PROFILES_FILE "/sys/kernel/security/apparmor/profiles"

/* A name berth accepts for AppArmorProfile=: 1..255 of [A-Za-z0-9_.+@:/-], not starting with
 * '-' or ':' (a policy namespace), without "//" (a hat) or "::"; or "unconfined". */
bool apparmor_profile_name_is_valid(const char *name);

/* The contents of /sys/kernel/security/apparmor/profiles ("NAME (MODE)" lines): whether name
 * is loaded. *ret_mode (optional) gets the mode ("enforce", "complain", ...), malloc'ed.
 * Returns 1 if loaded, 0 if not, -ENOMEM. */
int apparmor_profiles_find(const char *list, const char *name, char **ret_mode);

/* The text of the kernel's enabled parameter ("Y\n") means AppArmor is on. */
bool apparmor_enabled_from_text(const char *text);

/* ---- the running kernel (live.c) ---- */
/* APPARMOR_ENABLED_FILE reads Y. */
bool apparmor_is_enabled(void);
/* Whether APPARMOR_PROFILES_FILE lists name (1) or not (0); *ret_mode as
 * apparmor_profiles_find(). A negative errno when it cannot be read (securityfs not mounted). */
int apparmor_profile_is_loaded(const char *name, char **ret_mode);
/* The profile spec asks for on this host, for berth-exec and `berth verify` alike: *ret NULL
 * when none applies (unconfined, or nothing named and AppArmor off), berth-default when
 * nothing is named; -EOPNOTSUPP (*ret NULL) when a profile is named and AppArmor is off. */
int apparmor_profile_wanted(const struct berth_spec *s, const char **ret);
/* `berth verify`: the profile spec asks for (berth-default when none) can be applied here:
 * AppArmor on and the profile loaded (berth-default: or installed, for berth-exec to load).
 * Logs one message at loc (FILE: AppArmorProfile: ...). */
int apparmor_check_live(const struct berth_spec *s, const struct berth_loc *loc);
/* apparmor_parser -r -W FILE (loads or replaces, writes the cache), as Docker and Podman
 * load their profiles; its messages go to our stderr. -ENOENT: no apparmor_parser; -EPROTO:
 * it failed. */
int apparmor_parser_replace(const char *file);
/* What apparmor_parser_replace()'s error means, for a message. */
const char *apparmor_parser_strerror(int r);

/* berth-default as shipped (conf/apparmor/berth-default, compiled in). */
extern const char apparmor_berth_default_template[];

/* `berth apparmor NAME`: the profile named profile_name for a container with capability set
 * caps and spec's volumes and tmpfs mounts, derived from template (berth-default's text):
 * the profile's name replaced, the blanket "capability," rule replaced by one rule per
 * capability in caps (none at all for an empty set), and at the "berth:paths" mark r or rw
 * rules for each volume (by :ro) and tmpfs, with audited denials of writes to read-only
 * volumes. Appends to out; -EINVAL if the template lacks its marks, -ENOMEM. */
int apparmor_profile_derive(const char *template, const char *profile_name, uint64_t caps,
                            const struct berth_spec *spec, struct strbuf *out);
