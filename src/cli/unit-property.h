/* SPDX-License-Identifier: MIT */
#pragma once

/* `berth run -p KEY=VALUE`: unit settings as on `systemd-run -p`, converted to the D-Bus
 * properties of a transient service. Only a known subset is accepted, each with its
 * D-Bus type; anything else is refused by name (fail closed: a setting that would be
 * silently dropped or mistyped never reaches systemd). Settings that berth owns
 * (ExecStart=, Type=, NotifyAccess=, User=, ...) are refused with the reason. */

#include <stdint.h>
#include <systemd/sd-bus.h>

/* Appends one "(sv)" to m, which has an open "a(sv)" container. Logs "-p KEY=VALUE: why". */
int unit_property_append(sd_bus_message *m, const char *assignment);

/* Parsers, exposed for the unit tests. */
int parse_timespan_usec(const char *s, uint64_t *ret);   /* "90", "1.5s", "500ms", "2min", "infinity" */
int parse_size_bytes(const char *s, uint64_t *ret);      /* "512M", "1G", "4096", "infinity" */
int parse_percent_per_mille(const char *s, uint64_t *ret); /* "50%" -> 500 */
