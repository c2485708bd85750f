#!/bin/sh
# In the container: the first attempt fails (exit 9), later ones stay up.
n=$(cat /state/count 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >/state/count
echo "flaky attempt $n"
[ "$n" -ge 2 ] || exit 9
exec sleep 100000
