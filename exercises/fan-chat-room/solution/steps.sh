#!/usr/bin/env bash
P="${GOINGNATS_PREFIX:-}"
# Join: every line in the room, whoever says it (the handle is the token after chatroom).
nats sub "${P}oslo.chatroom.>" &
sleep 1
# Speak as yourself: your handle is the last token.
nats pub "${P}oslo.chatroom.kari" "Hei fra Kari!"
wait
