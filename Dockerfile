# syntax=docker/dockerfile:1
# The pullguard image: the CLI tarball — the CLI with the server and engine bundled in — and its
# public dependencies, on distroless Node 20, as a non-root user. Nothing else: no shell, no
# package manager, no repository files. The build context is the folder the tarballs are written
# to, so nothing else can be copied in:
#
#   pnpm -s package-tarballs .image && docker build -f Dockerfile -t pullguard:0.1.0 .image
#
# `pullguard export deploy --image …` runs it with `serve …` (docs/operations.md).

# Stage 1: npm installs the tarball and its dependencies from the registry, nothing else.
FROM node:20-slim AS install
COPY pullguard-cli-*.tgz /tmp/
RUN npm install --global --omit=dev --no-fund --no-audit --loglevel=error /tmp/pullguard-cli-*.tgz

# Stage 2: the installed package (its dependencies are inside it) on a runtime without a shell.
FROM gcr.io/distroless/nodejs20-debian12:nonroot
COPY --from=install /usr/local/lib/node_modules/@pullguard/cli /opt/pullguard
# distroless's `nonroot`, by number: the kubelet can only verify runAsNonRoot for a numeric user.
USER 65532:65532
ENV NODE_ENV=production
ENTRYPOINT ["/nodejs/bin/node", "/opt/pullguard/dist/bin.js"]
CMD ["serve", "--help"]
