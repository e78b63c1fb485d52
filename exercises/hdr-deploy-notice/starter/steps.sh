#!/usr/bin/env bash
# The usual first attempt: both teams in one header value, separated by a comma.
nats pub "${GOINGNATS_PREFIX:-}deploy.notice" v2.4.1 -H env:prod -H notify:ops,oncall
