#!/bin/sh
# The container's entrypoint: write the page's config.json from the environment (see
# write-config.mjs for the variables), then run the command, `npm run serve` by default.
set -eu
node "$(dirname "$0")/write-config.mjs" "${PAGE_DIR:-/app/dist}/config.json"
exec "$@"
