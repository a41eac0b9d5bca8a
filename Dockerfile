# alumni-bot in a container: Slack, Discord and PostgreSQL support built in.
#   docker build -t alumni-bot .
#   docker run --env-file .env -v alumni-bot-data:/data alumni-bot
# The first stage gathers the wheels of the bot and its dependencies (all published as binary
# wheels for Linux, so no compiler is needed); the second only installs them, from that folder.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[slack,discord,postgres]"

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ALUMNI_BOT_DATABASE_URL=sqlite:////data/alumni-bot.db \
    ALUMNI_BOT_WEB_HOST=0.0.0.0
RUN useradd --system --uid 10001 --home-dir /data --create-home alumni
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels "alumni-bot[slack,discord,postgres]" \
    && rm -rf /wheels
USER alumni
WORKDIR /data
VOLUME /data
# The web server: /healthz, /readyz, /metrics, and in Slack HTTP mode Slack's /slack/events.
EXPOSE 8080
# Alive: the process runs and answers. /readyz says whether it can work (see README "Health").
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["alumni-bot"]
CMD ["run"]
