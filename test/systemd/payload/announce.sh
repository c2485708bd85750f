#!/bin/sh
# In the container: says who it is and which capabilities it has, then stays up until
# SIGTERM, which it acknowledges in the journal (a stop that sends SIGKILL would not).
trap 'echo "$1: stopping on SIGTERM"; exit 0' TERM
echo "$1"
grep '^CapEff:' /proc/self/status
while :; do
        sleep 100000 &
        wait $!
done
