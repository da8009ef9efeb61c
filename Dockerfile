# Two images from one build: `service` (the default target) runs every lienthong service
# (`python -m intake`, `python -m orchestrator`, ...) and carries the runtime dependencies
# only; `tools` adds the `lienthong` command (ops migrate/provision, replay, bench) for
# one-shot jobs.
# Build: docker build -t lienthong:local . && docker build --target tools -t lienthong-tools:local .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/lienthong
COPY pyproject.toml README.md ./
COPY lib ./lib
COPY tools ./tools
COPY services ./services
RUN /opt/lienthong/bin/pip install . \
 && find /opt/lienthong -name '__pycache__' -prune -exec rm -rf {} +

FROM build AS build-tools
RUN /opt/lienthong/bin/pip install '.[tools]' \
 && find /opt/lienthong -name '__pycache__' -prune -exec rm -rf {} +

FROM ${PYTHON_IMAGE} AS base
LABEL org.opencontainers.image.title="lienthong" \
      org.opencontainers.image.description="Event backbone for Project 06 linked public services"
RUN groupadd --system --gid 10001 lienthong \
 && useradd --system --uid 10001 --gid lienthong --home-dir /nonexistent --shell /usr/sbin/nologin lienthong \
 && mkdir -p /var/lib/lienthong && chown lienthong:lienthong /var/lib/lienthong
COPY schemas /app/schemas
ENV PATH=/opt/lienthong/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LIENTHONG_SCHEMAS_DIR=/app/schemas \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8000
WORKDIR /app
USER 10001:10001

FROM base AS tools
COPY --from=build-tools /opt/lienthong /opt/lienthong
CMD ["lienthong", "--help"]

FROM base AS service
COPY --from=build /opt/lienthong /opt/lienthong
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('HTTP_PORT', '8000'), timeout=2)"]
CMD ["python", "-m", "intake"]
