#!/usr/bin/env bash
# Container health check without curl or wget (newer eclipse-temurin images ship neither):
# healthcheck PORT PATH → exit 0 when GET http://127.0.0.1:PORT/PATH answers 200.
set -eu
port="${1:?usage: healthcheck PORT PATH}"
path="${2:?usage: healthcheck PORT PATH}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r status <&3 || exit 1
exec 3<&- 3>&-
case "$status" in
  HTTP/1.?\ 200*) exit 0 ;;
  *) echo "health: ${status:-no answer}" >&2; exit 1 ;;
esac
