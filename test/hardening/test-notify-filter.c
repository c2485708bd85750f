/* SPDX-License-Identifier: MIT */
/* notify_proxy_filter(): what of a payload's sd_notify message may reach systemd (issue 11).
 * Only whole lines that start with READY=, STATUS=, STOPPING=, RELOADING=, WATCHDOG=, ERRNO=;
 * never MAINPID=, FDSTORE=, look-alikes or anything from a message that is not text. */
#include <errno.h>
#include <string.h>

#include "notify-proxy.h"
#include "tap.h"

static char out[256], shown[256];

static const char *filter(const char *msg, size_t n, bool *barrier, int *ret) {
        *ret = notify_proxy_filter(msg, n, out, sizeof(out), barrier);
        /* one TAP line: newlines shown as ';' */
        for (size_t i = 0; i < sizeof(out); i++)
                shown[i] = out[i] == '\n' ? ';' : out[i];
        return out;
}

int main(void) {
        bool barrier;
        int r;

        tap_no_plan();
#define CHECK(msg, want, name)                                                                                         \
        do {                                                                                                           \
                filter(msg, sizeof(msg) - 1, &barrier, &r);                                                            \
                ok(r == (int) strlen(want) && strcmp(out, want) == 0, "%s (got '%s', %d)", name, shown, r);            \
        } while (0)

        CHECK("READY=1", "READY=1", "READY=1 passes");
        CHECK("READY=1\nSTATUS=up\n", "READY=1\nSTATUS=up", "READY= and STATUS=, trailing newline");
        CHECK("MAINPID=1", "", "MAINPID= alone: nothing to send");
        CHECK("READY=1\nMAINPID=1\nSTATUS=x", "READY=1\nSTATUS=x", "MAINPID= between two good lines is dropped");
        CHECK("FDSTORE=1\nFDNAME=a\nFDSTOREREMOVE=1\nFDPOLL=0", "", "FDSTORE= and its friends are dropped");
        CHECK("WATCHDOG=1\nWATCHDOG=trigger\nWATCHDOG_USEC=1", "WATCHDOG=1\nWATCHDOG=trigger",
              "WATCHDOG= passes, WATCHDOG_USEC= (another key) does not");
        CHECK("STOPPING=1\nRELOADING=1\nERRNO=2", "STOPPING=1\nRELOADING=1\nERRNO=2",
              "STOPPING= RELOADING= ERRNO= pass");
        CHECK("READYX=1\nready=1\n READY=1\nXSTATUS=a", "",
              "look-alikes (other keys, case, leading space) are dropped");
        CHECK("EXTEND_TIMEOUT_USEC=1\nNOTIFYACCESS=all\nEXIT_STATUS=3", "", "keys outside the list are dropped");
        CHECK("STATUS=MAINPID=1", "STATUS=MAINPID=1", "a STATUS= text that mentions MAINPID= is still only a status");
        CHECK("\n\nREADY=1\n\n", "READY=1", "empty lines are ignored");
        filter("BARRIER=1", 9, &barrier, &r);
        ok(r == 0 && barrier, "BARRIER=1 is answered, not passed on");
        filter("READY=1\0MAINPID=1", 17, &barrier, &r);
        is_int(r, -EINVAL, "a message with a NUL byte is dropped whole");
        {
                char big[300], small[8];
                memset(big, 'a', sizeof(big));
                memcpy(big, "STATUS=", 7);
                r = notify_proxy_filter(big, sizeof(big), small, sizeof(small), &barrier);
                ok(r == 0 && small[0] == '\0', "a line longer than the output buffer is dropped, not cut");
        }
        return tap_done();
}
