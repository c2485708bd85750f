/* SPDX-License-Identifier: MIT */
#pragma once

/* Talking to systemd's manager over sd-bus, for the verbs that need a live systemd
 * (run, list, caps). */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#define SYSTEMD_BUS_NAME "org.freedesktop.systemd1"
#define SYSTEMD_MANAGER_PATH "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER_IFACE "org.freedesktop.systemd1.Manager"
#define SYSTEMD_UNIT_IFACE "org.freedesktop.systemd1.Unit"
#define SYSTEMD_SERVICE_IFACE "org.freedesktop.systemd1.Service"

/* As root, systemd's private socket (like systemctl: works without a D-Bus broker, e.g.
 * early in boot); otherwise the system bus. need_sender: only the system bus will do,
 * because systemd ties something to this client's bus name (AddRef=, as systemd-run
 * --wait does; the private socket has no names). Logs on failure. */
int bus_connect_systemd(bool need_sender, sd_bus **ret);

/* "NAME" -> "NAME.service"; a name that already has a unit suffix is kept. malloc'ed. */
char *unit_name_from_container(const char *name);

/* The manager's object path for a unit name. malloc'ed. */
int unit_object_path(const char *unit, char **ret);

int bus_get_unit_string(sd_bus *bus, const char *path, const char *iface, const char *property, char **ret);
int bus_get_unit_u32(sd_bus *bus, const char *path, const char *iface, const char *property, uint32_t *ret);
int bus_get_unit_i32(sd_bus *bus, const char *path, const char *iface, const char *property, int32_t *ret);
