/* SPDX-License-Identifier: MIT */
#include "build-id.h"

#include <elf.h>
#include <errno.h>
#include <link.h>
#include <string.h>

struct build_id {
        const uint8_t *bytes;
        size_t len;
};

static void find_in_note(const char *p, size_t size, struct build_id *id) {
        while (size >= sizeof(ElfW(Nhdr))) {
                const ElfW(Nhdr) *n = (const ElfW(Nhdr) *) p;
                size_t name_size = (n->n_namesz + 3) & ~(size_t) 3, desc_size = (n->n_descsz + 3) & ~(size_t) 3;
                size_t total = sizeof(*n) + name_size + desc_size;

                if (total > size)
                        return;
                if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(p + sizeof(*n), "GNU", 4) == 0 &&
                    n->n_descsz > 0) {
                        id->bytes = (const uint8_t *) p + sizeof(*n) + name_size;
                        id->len = n->n_descsz;
                        return;
                }
                p += total, size -= total;
        }
}

/* The first object dl_iterate_phdr() reports is the program itself (static or not). */
static int first_object(struct dl_phdr_info *info, size_t size, void *userdata) {
        struct build_id *id = userdata;

        for (ElfW(Half) i = 0; i < info->dlpi_phnum && !id->bytes; i++)
                if (info->dlpi_phdr[i].p_type == PT_NOTE)
                        find_in_note((const char *) (info->dlpi_addr + info->dlpi_phdr[i].p_vaddr),
                                     info->dlpi_phdr[i].p_memsz, id);
        return 1;
}

int self_build_id(const uint8_t **ret, size_t *ret_len) {
        struct build_id id = {};

        (void) dl_iterate_phdr(first_object, &id);
        if (!id.bytes)
                return -ENOENT;
        *ret = id.bytes;
        *ret_len = id.len;
        return 0;
}
