#!/usr/bin/env bash
# Runs `ansible-test sanity` on a real copy of the collection.
#
# ansible-test needs the tree at .../ansible_collections/cloud_dr/ibm_direct_link (not a symlink), its own HOME
# (so nothing depends on what an earlier run left in ~/.ansible), every interpreter that tests/config.yml allows
# on PATH, and an offline get-pip.py in its cache (see tools/get_pip_standin.py).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# The copy must live outside this git work tree: ansible-test walks up to the nearest .git and would list only the
# files git tracks there (none, under an ignored directory). One private directory per checkout.
work="${TMPDIR:-/tmp}/cloud_dr_ibm_direct_link-ansible-test-$(printf '%s' "$root" | sha1sum | cut -c1-12)"
copy="$work/ansible_collections/cloud_dr/ibm_direct_link"
export HOME="$work/home"
export ANSIBLE_HOME="$HOME/.ansible"

mkdir -p "$copy" "$HOME"
# Copy exactly what git would ship: tracked files plus untracked files that are not ignored.
(cd "$root" && git ls-files -z --cached --others --exclude-standard | python3 tools/sync_tree.py "$copy")

requirements_py=$("$root/.venv/bin/python" -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py"))')
pip_version=$(sed -n "s/^ *pip='\([0-9.]*\)',$/\1/p" "$requirements_py" | head -n 1)
mkdir -p "$ANSIBLE_HOME/test/cache"
cp "$root/tools/get_pip_standin.py" "$ANSIBLE_HOME/test/cache/get_pip_${pip_version//./_}.py"

# Real interpreter directories for every Python the collection supports (the python3.X shims may be broken).
pythons=()
if command -v pyenv >/dev/null 2>&1; then
  for version in 3.10 3.11 3.12 3.13; do
    dir=$(ls -d "$(pyenv root)/versions/$version".*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$dir" ]; then PATH="$dir:$PATH"; pythons+=("$version"); fi
  done
fi
export PATH="$root/.venv/bin:$PATH"

cd "$copy"
args=(sanity --venv --color no)
if [ "${#pythons[@]}" -eq 0 ]; then args+=(--python 3.11); fi
exec "$root/.venv/bin/ansible-test" "${args[@]}" "$@"
