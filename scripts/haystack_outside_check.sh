#!/usr/bin/env bash
# django-haystack's own Whoosh test suite, run against our backend (docs/haystack-compat.md).
#
#   scripts/haystack_outside_check.sh HAYSTACK_SRC [stock] [TEST_LABEL...]
#
# HAYSTACK_SRC: a django-haystack 3.4.0 source tree (the folder holding test_haystack/),
# e.g. `git clone --branch v3.4.0 https://github.com/django-haystack/django-haystack`.
# It is not vendored here (BSD-licensed, but a test suite of another project).
# "stock" runs the same tests on haystack's own WhooshEngine, for the baseline.
# No network: the sources are copied to a scratch dir and run with the installed
# haystack (the same 3.4.0, .venv) and this repository on the path.
set -euo pipefail
src=${1:?usage: $0 HAYSTACK_SRC [stock] [TEST_LABEL...]}
shift
engine=ours
if [[ ${1:-} == stock ]]; then engine=stock; shift; fi
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d /tmp/haystack-check.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
cp -r "$src/test_haystack" "$scratch/"
# haystack's WhooshTestCase clears the index folders of connections whose ENGINE is
# exactly haystack's; ours is a subclass of it, so it gets the same clean start.
sed -i 's/!= "haystack.backends.whoosh_backend.WhooshEngine"/not in ("haystack.backends.whoosh_backend.WhooshEngine", "search.backend.ArchiveWhooshEngine")/' \
  "$scratch/test_haystack/whoosh_tests/testcases.py"
cp "$repo/scripts/haystack_check_settings.py" "$scratch/"
cd "$scratch"
labels=("$@")
[[ ${#labels[@]} -gt 0 ]] || labels=(test_haystack.whoosh_tests)
HAYSTACK_CHECK_ENGINE=$engine PYTHONPATH="$scratch:$repo" \
  DJANGO_SETTINGS_MODULE=haystack_check_settings \
  "$repo/.venv/bin/python" -m django test -v 2 "${labels[@]}"
