"""The optional parts of the package: a missing one is named in one line, with its install command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.config import ConfigError

# extra -> the top-level modules it brings
EXTRAS: dict[str, tuple[str, ...]] = {
    "slack": ("slack_bolt", "slack_sdk", "yaml"),
    "discord": ("discord",),
    "postgres": ("asyncpg",),
}


@contextmanager
def needs(extra: str, what: str) -> Iterator[None]:
    """Turn the import error of a module `extra` brings into one line naming the extra."""
    try:
        yield
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in EXTRAS[extra]:
            raise
        raise ConfigError(
            f"{what} needs the '{extra}' extra, which is not installed: pip install 'alumni-bot[{extra}]'"
        ) from None
