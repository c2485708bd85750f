/* SPDX-License-Identifier: MIT */
/* Capability names and SPEC §3's add/drop/ALL arithmetic. */
#include "capability.h"
#include "tap.h"
#include "capture.h"

#define BIT(c) (UINT64_C(1) << (c))

static uint64_t compute(const char *add, const char *drop, int last_cap, int *ret_r) {
        _cleanup_strv_free_ char **a = NULL, **d = NULL;
        uint64_t set = 0;
        strv_split_whitespace(add, &a);
        strv_split_whitespace(drop, &d);
        *ret_r = capset_from_lists(a, d, last_cap, NULL, NULL, &set);
        return set;
}

int main(void) {
        uint64_t def = capability_docker_default(), set;
        int r;

        tap_no_plan();
        log_open("test-capability", 0, LOG_LEVEL_DEBUG);

        is_int(__builtin_popcountll(def), 14, "Docker's default set has 14 capabilities");
        {
                _cleanup_free_ char *s = capset_to_string(def);
                is_str(s, "chown, dac_override, fowner, fsetid, kill, setgid, setuid, setpcap, net_bind_service, net_raw, "
                          "sys_chroot, mknod, audit_write, setfcap",
                       "default set by name, in kernel order");
        }
        is_int(capability_from_name("sys_time"), 25, "lower case name");
        is_int(capability_from_name("CAP_SYS_TIME"), 25, "CAP_ prefix, upper case");
        is_int(capability_from_name("cap_Sys_Time"), 25, "mixed case with prefix");
        is_int(capability_from_name("SYS_TYPO"), -EINVAL, "unknown name is -EINVAL");
        is_int(capability_from_name("ALL"), -EINVAL, "ALL is not a capability number");
        is_str(capability_to_name(40), "checkpoint_restore", "last known name");
        is_str(capability_to_name(41), NULL, "beyond the table is NULL");

        set = compute("", "", 40, &r);
        is_hex(set, def, "no lists: the default 14");
        set = compute("", "SETUID SETGID FOWNER", 40, &r);
        is_int(__builtin_popcountll(set), 11, "dropping three leaves 11");
        is_hex(set, def & ~(BIT(7) | BIT(6) | BIT(3)), "exactly the default less setuid, setgid, fowner");
        set = compute("SYS_TIME", "ALL", 40, &r);
        is_hex(set, BIT(25), "drop ALL + add SYS_TIME: only sys_time");
        set = compute("ALL", "", 40, &r);
        is_hex(set, (BIT(41) - 1), "add ALL: every capability up to cap_last_cap");
        set = compute("ALL", "", 37, &r);
        is_hex(set, (BIT(38) - 1), "add ALL follows the kernel's cap_last_cap");
        set = compute("ALL", "SYS_ADMIN", 40, &r);
        is_hex(set, (BIT(41) - 1) & ~BIT(21), "add ALL less an explicit drop");
        set = compute("", "ALL", 40, &r);
        is_hex(set, 0, "drop ALL alone: nothing");
        set = compute("NET_ADMIN", "", 40, &r);
        is_hex(set, def | BIT(12), "add to the default");
        set = compute("NET_ADMIN", "NET_ADMIN", 40, &r);
        is_hex(set, def | BIT(12), "add wins over drop of the same name (Docker order: drop then add)");
        compute("SYS_TYPO", "", 40, &r);
        is_int(r, -EINVAL, "unknown name in add is an error");
        compute("", "chwon", 40, &r);
        is_int(r, -EINVAL, "unknown name in drop is an error");
        {
                char *nope[] = {"NOPE", NULL}, *typo[] = {"SYS_TYPO", NULL};
                log_open("test-capability", LOG_SINK_STDERR, LOG_LEVEL_DEBUG);
                CAPTURE(capability_list_validate(nope, NULL));
                is_str(captured, "test-capability: unknown capability 'NOPE'", "no far-fetched hint for 'NOPE'");
                CAPTURE(capability_list_validate(typo, NULL));
                is_str(captured, "test-capability: unknown capability 'SYS_TYPO' (did you mean 'sys_time'?)",
                       "a typo gets a hint");
                log_open("test-capability", 0, LOG_LEVEL_DEBUG);
        }
        {
                /* SPEC §3: the process's five sets, root and non-root (Podman's rule). */
                _cleanup_strv_free_ char **none = NULL, **nbs = NULL, **all = NULL, **dropped = NULL;
                struct berth_capsets cs;

                strv_split_whitespace("cap_net_bind_service", &nbs);
                strv_split_whitespace("ALL", &all);
                strv_split_whitespace("SYS_TIME", &dropped);
                capsets_for_user(none, def, true, &cs);
                ok(cs.bounding == def && cs.permitted == def && cs.effective == def,
                   "root: the set is bounding, permitted, effective");
                is_hex(cs.inheritable | cs.ambient, 0, "root: inheritable and ambient empty (CVE-2022-24769)");
                capsets_for_user(none, def, false, &cs);
                is_hex(cs.bounding, def, "non-root, nothing added: the set is the bounding set");
                is_hex(cs.permitted | cs.effective | cs.inheritable | cs.ambient, 0, "... and nothing else");
                capsets_for_user(nbs, def, false, &cs);
                ok(cs.permitted == BIT(10) && cs.effective == BIT(10) && cs.inheritable == BIT(10) &&
                           cs.ambient == BIT(10),
                   "non-root + NET_BIND_SERVICE: 0x400 permitted, effective, inheritable, ambient");
                is_hex(cs.bounding, def, "... bounding stays the whole set");
                capsets_for_user(nbs, def & ~BIT(10), false, &cs);
                is_hex(cs.ambient, 0, "an added name outside the set is not raised");
                capsets_for_user(all, BIT(41) - 1, false, &cs);
                is_hex(cs.ambient, BIT(41) - 1, "non-root + ALL: the whole set is ambient");
                capsets_for_user(dropped, BIT(25) | BIT(12), false, &cs);
                is_hex(cs.effective, BIT(25), "non-root: only the named one of a larger set");
        }
        compute("BPF", "", 38, &r);
        is_int(r, -EOPNOTSUPP, "a capability the kernel lacks is an error");
        return tap_done();
}
