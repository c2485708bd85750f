#!/bin/bash
# Runs a test program under $BERTH_WRAP (empty, or valgrind in the valgrind pass).
# shellcheck disable=SC2086
exec ${BERTH_WRAP:-} "$@"
