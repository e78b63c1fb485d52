#!/usr/bin/env bash
# One -H per value: the same name twice gives notify two values.
nats pub "${GOINGNATS_PREFIX:-}deploy.notice" v2.4.1 -H env:prod -H notify:ops -H notify:oncall
