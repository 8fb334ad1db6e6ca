#!/usr/bin/env bash
# Install the Node gateway the WeChat tests run (tests/fakes/wechat_gateway: wechaty-puppet-service
# over wechaty-puppet-mock) from its lock file. Does nothing when node_modules matches the lock.
set -euo pipefail
dir="$(cd "$(dirname "$0")/.." && pwd)/tests/fakes/wechat_gateway"
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "wechat gateway: $tool is not installed (Node.js >= 16 with npm)" >&2; exit 3; }
done
exec 9>"$dir/.install.lock"
flock 9
stamp="$dir/node_modules/.salesbot-lock"
if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then
  exit 0
fi
echo "wechat gateway: npm ci in $dir" >&2
# --ignore-scripts: nothing in the tree needs its install script (leveldown loads its bundled prebuilds).
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
cp "$dir/package-lock.json" "$stamp"
