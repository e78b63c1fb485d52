#!/usr/bin/env bash
# The usual first attempt: a capital letter sneaks into the subject.
nats pub "${GOINGNATS_PREFIX:-}hello.World" "Hello, NATS!"
