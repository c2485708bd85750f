#!/bin/sh
# In the container: sets the kernel's clock tick to the value it already has (adjtimex
# ADJ_TICK): needs CAP_SYS_TIME like any clock change, but never moves the clock. Stays up
# afterwards so the unit can be inspected while it runs.
tick=$(adjtimex | sed -n 's/^-t *tick: *\([0-9][0-9]*\).*/\1/p')
if [ -z "$tick" ]; then
        echo "settime: cannot read the tick"
elif err=$(adjtimex -t "$tick" 2>&1 >/dev/null); then
        echo "settime: clock adjusted (tick $tick)"
else
        echo "settime: refused: $err"
fi
exec sleep 100000
