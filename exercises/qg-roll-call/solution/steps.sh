#!/usr/bin/env bash
# Two responders outside any queue group: every request reaches both.
nats reply "${GOINGNATS_PREFIX:-}rollcall" "present: ada" --queue "" &
nats reply "${GOINGNATS_PREFIX:-}rollcall" "present: linus" --queue "" &
wait
