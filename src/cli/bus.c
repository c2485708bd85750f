/* SPDX-License-Identifier: MIT */
#include "bus.h"

#include <errno.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define SYSTEMD_PRIVATE_SOCKET "/run/systemd/private"

int bus_connect_systemd(bool need_sender, sd_bus **ret) {
        sd_bus *bus = NULL;
        int r;

        if (!need_sender && geteuid() == 0 && access(SYSTEMD_PRIVATE_SOCKET, F_OK) == 0) {
                r = sd_bus_new(&bus);
                if (r < 0)
                        return log_errno(r, "cannot allocate a bus connection: %m");
                r = sd_bus_set_address(bus, "unix:path=" SYSTEMD_PRIVATE_SOCKET);
                if (r >= 0)
                        r = sd_bus_start(bus);
                if (r >= 0) {
                        *ret = bus;
                        return 0;
                }
                sd_bus_unref(bus);
                bus = NULL;
                /* fall back to the broker below: the private socket may be stale */
        }
        r = sd_bus_open_system(&bus);
        if (r < 0)
                return log_errno(r, "cannot connect to the system bus%s: %m",
                                 need_sender ? " (needed to wait for the unit)" : " (is systemd the init system here?)");
        *ret = bus;
        return 0;
}

char *unit_name_from_container(const char *name) {
        static const char *const suffixes[] = {".service", ".scope", ".socket", ".timer", ".target"};
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++)
                if (endswith(name, suffixes[i]))
                        return strdup(name);
        return strjoin(name, ".service");
}

int unit_object_path(const char *unit, char **ret) {
        int r = sd_bus_path_encode(SYSTEMD_MANAGER_PATH "/unit", unit, ret);
        return r < 0 ? r : 0;
}

int bus_get_unit_string(sd_bus *bus, const char *path, const char *iface, const char *property, char **ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property_string(bus, SYSTEMD_BUS_NAME, path, iface, property, &error, ret);
        if (r < 0)
                log_debug("%s %s: %s", path, property, error.message ?: strerror(-r));
        sd_bus_error_free(&error);
        return r < 0 ? r : 0;
}

int bus_get_unit_u32(sd_bus *bus, const char *path, const char *iface, const char *property, uint32_t *ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property_trivial(bus, SYSTEMD_BUS_NAME, path, iface, property, &error, 'u', ret);
        if (r < 0)
                log_debug("%s %s: %s", path, property, error.message ?: strerror(-r));
        sd_bus_error_free(&error);
        return r < 0 ? r : 0;
}

int bus_get_unit_i32(sd_bus *bus, const char *path, const char *iface, const char *property, int32_t *ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property_trivial(bus, SYSTEMD_BUS_NAME, path, iface, property, &error, 'i', ret);
        if (r < 0)
                log_debug("%s %s: %s", path, property, error.message ?: strerror(-r));
        sd_bus_error_free(&error);
        return r < 0 ? r : 0;
}
