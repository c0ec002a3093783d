#!/usr/bin/env bash
# The main job: build padscan and the sample services, then measure them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/build.sh"
"$root/scripts/build-samples.sh" "$root/build/samples" >/dev/null
cd "$root/build/samples"
pad="$root/build/padscan"
go_services="combat abilities inventory guilds auctions notifications auth"
c_services="weapons analytics backups"
echo "== The three most wasteful structs of each Go service"
# shellcheck disable=SC2086
"$pad" analyze --type 'github.com/acme/*' --top 3 $go_services
echo
echo "== The three most wasteful structs of each C service (glibc's own types left out)"
# shellcheck disable=SC2086
"$pad" analyze --lang c --exclude '_IO_*' --exclude '_G_*' --top 3 $c_services

echo
echo "== Fleet: what reordering the hot types gives back at 100,000 players (samples/fleet.json)"
mkdir -p "$root/build/samples/reports"
# the auth team's own CI job saves its report; the fleet job only aggregates
"$pad" analyze --format json -o "$root/build/samples/reports/auth.json" auth
"$pad" fleet "$root/samples/fleet.json"

echo
echo "== CI budget (samples/budget.json); exit status 1 means the budget is exceeded"
set +e
# the fleet's binaries and the fleet limit: a budget's every rule runs (a
# fleet limit without --fleet, or a rule that matches nothing, is an error)
"$pad" check --budget "$root/samples/budget.json" --fleet "$root/samples/fleet.json"
echo "padscan check exited $? (the samples are padded on purpose)"
