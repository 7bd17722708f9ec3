#!/usr/bin/env bash
# The baseline for `npm run bench`: the same HTTP calls as the action's promote, with plain curl.
# usage: [POLL_S=seconds] curl-promote.sh BASE_URL SOURCE_TOKEN TARGET_TOKEN MANIFEST_ID FOLDER_ID OUT_FILE
set -euo pipefail
base=$1 source=$2 target=$3 manifest=$4 folder=$5 out=$6
id_of() { sed -E 's/.*"id":([0-9]+).*/\1/'; }
wait_for() { # token, package id
  until curl -sfS -H "Authorization: Bearer $1" "$base/api/packages/$2" | grep -q '"status":"completed"'; do
    sleep "${POLL_S:-1}"
  done
}
export_id=$(curl -sfS -X POST -H "Authorization: Bearer $source" "$base/api/packages/export/$manifest" | id_of)
wait_for "$source" "$export_id"
# -L follows the redirect to storage; curl drops the Authorization header on another host
curl -sfSL -H "Authorization: Bearer $source" -o "$out" "$base/api/packages/$export_id/download"
import_id=$(curl -sfS -X POST -H "Authorization: Bearer $target" -H 'Content-Type: application/octet-stream' \
  -H 'Expect:' -T "$out" "$base/api/packages/import/$folder?restart_recipes=false&include_tags=false" | id_of)
wait_for "$target" "$import_id"
