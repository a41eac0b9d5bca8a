"""Ports on 127.0.0.1 for the servers tests start."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on just now (the bot binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
