/* SPDX-License-Identifier: MIT */
/* Reading descriptions ahead in a second thread (catalog_prefetch_start(), description.h). */
#include "description.h"
#include "description-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>

/* ---- reading ahead (catalog_prefetch_start) ---- */

/* Units read ahead at most, which bounds the memory held. The thread sleeps when it is that
 * far ahead and is woken when the reader has come halfway closer: a wake-up per unit
 * would cost more futex() calls than reading ahead saves. */
#define PREFETCH_AHEAD 64

struct berth_prefetch {
        struct berth_catalog *catalog;
        pthread_t thread;
        pthread_mutex_t lock;
        pthread_cond_t progress; /* done or finished changed, for a waiting reader */
        pthread_cond_t room;     /* wanted or stop changed, for the waiting thread */
        size_t done;             /* units[0..done) were read ahead */
        size_t wanted;           /* the reader is at units[wanted] */
        bool stop, finished;
        bool reader_waits, thread_waits; /* signal only whom it concerns */
};

/* Reads src into src->prefetched, unless it was read ahead already. false: out of memory. */
static bool prefetch_source(struct berth_prefetch *p, struct berth_source *src) {
        struct berth_catalog *c = p->catalog;
        int dir_fd = src->priority < c->n_dir_fds ? c->dir_fds[src->priority] : -1;
        struct ini_file *f;
        int fd;

        if (src->prefetch_claimed || src->masked || src->error || dir_fd < 0)
                return true;
        src->prefetch_claimed = true;
        f = malloc(sizeof(*f));
        if (!f)
                return false;
        fd = openat(dir_fd, src->relative, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                *f = (struct ini_file){.error = negative_errno(), .failure = INI_LOAD_OPEN};
        else {
                (void) ini_load_fd(fd, f);
                close(fd); /* not batched: interleaved with the reader's fds, runs would be short */
        }
        src->prefetched = f;
        return true;
}

/* What description_load() of unit will read: the file and its drop-ins not read before. */
static bool prefetch_unit(struct berth_prefetch *p, struct berth_source *unit) {
        _cleanup_free_ char *name = NULL;
        _cleanup_strv_free_ char **owners = NULL;
        _cleanup_free_ struct berth_source **dropins = NULL;

        if (unit->masked)
                return true;
        name = description_name_from_filename(unit->name);
        if (!name)
                return true; /* description_load() reads nothing */
        if (!prefetch_source(p, unit))
                return false;
        if (dropin_owners(name, &owners) < 0 || dropins_for(p->catalog, owners, &dropins) < 0)
                return false;
        for (size_t i = 0; dropins[i]; i++)
                if (!prefetch_source(p, dropins[i]))
                        return false;
        return true;
}

static void *prefetch_thread(void *userdata) {
        struct berth_prefetch *p = userdata;
        struct berth_catalog *c = p->catalog;

        for (size_t i = 0; i < c->n_units; i++) {
                bool ok;

                pthread_mutex_lock(&p->lock);
                while (!p->stop && i >= p->wanted + PREFETCH_AHEAD) {
                        p->thread_waits = true;
                        pthread_cond_wait(&p->room, &p->lock);
                }
                p->thread_waits = false;
                ok = !p->stop;
                pthread_mutex_unlock(&p->lock);
                /* Out of memory: stop here rather than skip, so that a drop-in is only ever
                 * read ahead before the reader reaches the first unit that needs it. */
                if (!ok || !prefetch_unit(p, &c->units[i]))
                        break;

                pthread_mutex_lock(&p->lock);
                p->done = i + 1;
                if (p->reader_waits)
                        pthread_cond_signal(&p->progress);
                pthread_mutex_unlock(&p->lock);
        }
        pthread_mutex_lock(&p->lock);
        p->finished = true;
        pthread_cond_signal(&p->progress);
        pthread_mutex_unlock(&p->lock);
        return NULL;
}

void catalog_prefetch_start(struct berth_catalog *c) {
        struct berth_prefetch *p;

        /* a thread costs a clone(), a stack and its page faults: for a handful of units
         * reading them as they come is as fast */
        if (c->prefetch || c->n_units < 32)
                return;
        p = calloc(1, sizeof(*p));
        if (!p)
                return;
        p->catalog = c;
        pthread_mutex_init(&p->lock, NULL);
        pthread_cond_init(&p->progress, NULL);
        pthread_cond_init(&p->room, NULL);
        if (pthread_create(&p->thread, NULL, prefetch_thread, p) != 0) {
                pthread_cond_destroy(&p->room);
                pthread_cond_destroy(&p->progress);
                pthread_mutex_destroy(&p->lock);
                free(p);
                return; /* files are read as they are needed */
        }
        c->prefetch = p;
}

void catalog_prefetch_wait(struct berth_catalog *c, size_t unit_index) {
        struct berth_prefetch *p = c->prefetch;

        if (!p)
                return;
        pthread_mutex_lock(&p->lock);
        p->wanted = unit_index;
        if (p->thread_waits && p->done < unit_index + PREFETCH_AHEAD / 2)
                pthread_cond_signal(&p->room);
        while (!p->finished && p->done <= unit_index) {
                p->reader_waits = true;
                pthread_cond_wait(&p->progress, &p->lock);
        }
        p->reader_waits = false;
        pthread_mutex_unlock(&p->lock);
}

void catalog_prefetch_stop(struct berth_catalog *c) {
        struct berth_prefetch *p = c->prefetch;

        if (!p)
                return;
        pthread_mutex_lock(&p->lock);
        p->stop = true;
        pthread_cond_signal(&p->room);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->thread, NULL);
        pthread_cond_destroy(&p->room);
        pthread_cond_destroy(&p->progress);
        pthread_mutex_destroy(&p->lock);
        free(p);
        c->prefetch = NULL;
}
