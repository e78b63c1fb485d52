#!/usr/bin/env bash
# The usual first attempt: listens to the room correctly, but greets on the room's own subject,
# with no handle token, so the greeting matches nobody's oslo.chatroom.> subscription.
P="${GOINGNATS_PREFIX:-}"
nats sub "${P}oslo.chatroom.>" &
sleep 1
nats pub "${P}oslo.chatroom" "Hei alle sammen!"
wait
