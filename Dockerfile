# syntax=docker/dockerfile:1
# One image for both roles: `node apps/api/dist/main.js` (the default) or
# `node apps/worker/dist/main.js`. docker-compose.yml runs both.
FROM node:20-bookworm-slim

WORKDIR /app

# `npm install`, not `npm ci`: the lockfile is made where some other-platform binaries are
# missing (research/stack.md, gotcha 6). The cache mount keeps rebuilds fast.
COPY . .
RUN --mount=type=cache,target=/root/.npm \
    npm install --no-audit --no-fund \
 && npm run build \
 && mkdir -p /secrets && chown node:node /secrets

# TRIBUTARY_ADMIN_TOKEN and TRIBUTARY_SECRET_KEY, when not set, are generated once into the
# shared /secrets volume (the first container to get there wins; the others read it).
COPY --chmod=755 <<'SH' /usr/local/bin/tributary-entrypoint
#!/bin/sh
set -eu
secret() { # file, node expression printing a new value
  if [ ! -s "$1" ]; then
    tmp=$(mktemp "$1.XXXXXX")
    node -e "process.stdout.write($2)" > "$tmp"
    if ln "$tmp" "$1" 2>/dev/null; then echo "tributary: generated $1" >&2; fi
    rm -f "$tmp"
  fi
  cat "$1"
}
if [ -z "${TRIBUTARY_ADMIN_TOKEN:-}" ]; then
  TRIBUTARY_ADMIN_TOKEN=$(secret /secrets/admin-token "require('crypto').randomBytes(32).toString('base64url')")
  export TRIBUTARY_ADMIN_TOKEN
fi
if [ -z "${TRIBUTARY_SECRET_KEY:-}" ]; then
  TRIBUTARY_SECRET_KEY=$(secret /secrets/secret-key "require('crypto').randomBytes(32).toString('hex')")
  export TRIBUTARY_SECRET_KEY
fi
exec "$@"
SH

ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
USER node
EXPOSE 3000
ENTRYPOINT ["tributary-entrypoint"]
CMD ["node", "apps/api/dist/main.js"]
