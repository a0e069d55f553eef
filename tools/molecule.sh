#!/usr/bin/env bash
# Runs every molecule scenario under extensions/molecule/ against the source tree.
#
# molecule discovers extensions/molecule/*/molecule.yml when started from the collection root. Its prerun would
# copy the collection into ANSIBLE_HOME, where a stale copy could shadow this tree, so the scenarios disable it
# and ANSIBLE_COLLECTIONS_PATH (exported by the Makefile) points at the .venv link instead; ANSIBLE_HOME is
# private to this run all the same.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export ANSIBLE_HOME="$root/.venv/molecule-home"
export MOLECULE_NO_LOG=false
mkdir -p "$ANSIBLE_HOME"
cd "$root"
exec molecule test --all "$@"
