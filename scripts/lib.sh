# Shared shell helpers for the scripts in this folder. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${BATCHGRAPH_TOOLS_DIR:-$ROOT/.tools}"
FERRETDB_VERSION="v1.24.2"

log() { printf '\033[1;34m[batchgraph]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[batchgraph] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Installs the npm workspaces when the lock file changed since the last install. `npm install`
# rather than `npm ci`: it installs the locked versions all the same, but keeps an existing
# node_modules instead of deleting it, and tolerates the lock lacking the other platforms'
# optional packages (turbo's darwin/windows binaries), which `npm ci` refuses.
ensure_node_modules() {
  command -v node >/dev/null || die "Node.js 20.19+ is required (node was not found on PATH)"
  local stamp="$ROOT/node_modules/.batchgraph-lock"
  if [[ -f "$stamp" ]] && cmp -s "$stamp" "$ROOT/package-lock.json"; then return; fi
  log "installing npm workspaces (npm install)"
  (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error)
  cp "$ROOT/package-lock.json" "$stamp"
}
