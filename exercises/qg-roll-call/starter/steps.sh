#!/usr/bin/env bash
# The usual first attempt: two plain `nats reply` commands. Both join the CLI's default queue
# group, so each request is answered by only one of them (the lottery, not the roll call).
nats reply "${GOINGNATS_PREFIX:-}rollcall" "present: ada" &
nats reply "${GOINGNATS_PREFIX:-}rollcall" "present: linus" &
wait
