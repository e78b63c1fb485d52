#!/usr/bin/env bash
nats pub "${GOINGNATS_PREFIX:-}hello.world" "Hello, NATS!"
