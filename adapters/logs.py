"""Log lines on stderr, as [log] asks: readable text or one JSON object a line.

The bot's own loggers (bot, adapters, storage) write from `[log] level`; every library
(APScheduler, discord.py, Alembic, …) from `[log] library_level`, WARNING by default, so
a healthy bot is quiet. JSON lines carry the time, level, logger, message, and the kind and
delivery id of the event being handled; never the contents of members' messages.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import IO

from bot.config import LogSettings
from bot.log_context import current_event

OWN_LOGGERS = ("bot", "adapters", "storage")
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if tag := current_event():
            line["event"] = tag.kind
            if tag.delivery_id:
                line["delivery"] = tag.delivery_id
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(settings: LogSettings, stream: IO[str] | None = None) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines() if settings.format == "json" else logging.Formatter(TEXT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.library_level.upper())
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(settings.level.upper())
