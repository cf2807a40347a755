#!/usr/bin/env bash
# Lighthouse figures for the reader pages (issue 19, docs/lighthouse.md).
#
# Lighthouse is not a project dependency (it pulls ~200 npm packages): it is
# installed, pinned, into a scratch folder outside the repository so `npm ci`
# stays light. Serve the archive as `make run` does (gunicorn + whitenoise,
# DEBUG off), then:
#
#   scripts/lighthouse.sh http://127.0.0.1:8765 [out-dir]
#
# Prints one Markdown table row per page: performance, accessibility,
# best practices, SEO (mobile emulation, Lighthouse's default throttling).
set -euo pipefail
LIGHTHOUSE_VERSION=12.8.2
LH_DIR=${LH_DIR:-/tmp/lh}
BASE=${1:?usage: scripts/lighthouse.sh BASE_URL [OUT_DIR]}
OUT=${2:-test-output/lighthouse}
REPORT=${LH_REPORT_ID:-1}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$LH_DIR"
  npm install --prefix "$LH_DIR" --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION"
fi
mkdir -p "$OUT"

declare -A PAGES=(
  [home]="/"
  [search]="/search/?q=%E4%BA%BA%E6%89%8D%E5%85%AC%E5%AF%93"
  [report]="/reports/$REPORT/"
  [compare]="/compare/?cities=%E6%B3%B8%E5%B7%9E%E5%B8%82,%E5%85%B0%E5%B7%9E%E5%B8%82,%E5%91%BC%E5%92%8C%E6%B5%A9%E7%89%B9%E5%B8%82"
)
echo "| page | performance | accessibility | best practices | SEO |"
echo "|---|---|---|---|---|"
for name in home search report compare; do
  "$LH_DIR/node_modules/.bin/lighthouse" "$BASE${PAGES[$name]}" --quiet \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking" \
    --output=json --output-path="$OUT/$name.json" >/dev/null 2>&1
  node -e '
    const r = require(process.argv[1]);
    const s = (k) => Math.round(r.categories[k].score * 100);
    console.log(`| ${process.argv[2]} | ${s("performance")} | ${s("accessibility")} | ${s("best-practices")} | ${s("seo")} |`);
  ' "$(realpath "$OUT/$name.json")" "$name"
done
