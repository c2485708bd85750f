# In the container: sets the kernel's clock tick to the value it already has (adjtimex
# ADJ_TICK): needs CAP_SYS_TIME like any clock change, but never moves the clock.
tick=$(adjtimex | sed -n 's/^-t *tick: *\([0-9][0-9]*\).*/\1/p')
[ -n "$tick" ] || { echo "settime: cannot read the tick"; exit 2; }
if err=$(adjtimex -t "$tick" 2>&1 >/dev/null); then
        echo "settime: clock adjusted (tick $tick)"
        exit 0
fi
echo "settime: refused: $err"
exit 1
