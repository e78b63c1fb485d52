#!/usr/bin/env bash
exec nats sub "${GOINGNATS_PREFIX:-}hello.meetup.>"
