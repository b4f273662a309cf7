#!/usr/bin/env bash
# Formats the whole tree with prettier once (what `npm run lint`'s `prettier --check .` expects),
# then lints. Run it on main after concurrent branches are merged: a tree-wide reformat on a
# branch would conflict with every other branch touching the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
npx prettier --write --log-level warn .
npx eslint .
npx prettier --check .
