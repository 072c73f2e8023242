# Shared shell helpers for the scripts in this folder. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${BATCHGRAPH_TOOLS_DIR:-$ROOT/.tools}"
FERRETDB_VERSION="v1.24.2"

log() { printf '\033[1;34m[batchgraph]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[batchgraph] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Installs the npm workspaces exactly as package-lock.json pins them (`npm ci`), when the lock
# file changed since the last install. The lock lists every platform's optional packages
# (turbo's @turbo/* binaries), so `npm ci` works on each and never rewrites the lock.
ensure_node_modules() {
  command -v node >/dev/null || die "Node.js 20.19+ is required (node was not found on PATH)"
  local stamp="$ROOT/node_modules/.batchgraph-lock"
  if [[ -f "$stamp" ]] && cmp -s "$stamp" "$ROOT/package-lock.json"; then return; fi
  log "installing npm workspaces (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$ROOT/package-lock.json" "$stamp"
}
