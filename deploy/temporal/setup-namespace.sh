#!/bin/sh
# Creates the Temporal namespace Batchgraph uses and registers the search attributes every run
# carries (engine/src/temporal-names.ts lists them; deploy/test checks this file against it).
# Runs in temporalio/admin-tools once the server is up; safe to run again.
set -eu

: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_NAMESPACE:?}"
# How long Temporal keeps the history of a closed run (what Temporal UI can still show).
RETENTION=30d

# Runs a command until it succeeds, 60 tries 2 seconds apart: the server starts, and a new
# namespace becomes visible to every frontend, some seconds after it is asked to.
retry() {
  tries=0
  until "$@" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
      echo "gave up after 60 tries: $*" >&2
      "$@"
      return 1
    fi
    sleep 2
  done
}

echo "waiting for Temporal at $TEMPORAL_ADDRESS"
retry temporal operator cluster health

if ! temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$RETENTION"
fi
retry temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE"

register() {
  if temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" | grep -qw "$1"; then
    echo "search attribute $1 exists"
  else
    temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$1" --type "$2"
  fi
}

register BatchgraphJobId Keyword
register BatchgraphJobName Keyword
register BatchgraphVersion Int
register BatchgraphTrigger Keyword
