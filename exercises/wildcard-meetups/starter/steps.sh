#!/usr/bin/env bash
# The usual first attempt: * where > is needed, so hello.meetup.oslo.pizza is missed.
exec nats sub "${GOINGNATS_PREFIX:-}hello.meetup.*"
