"""A readable transcript of what each member typed and saw on their own platform, read from what
the fake Slack and the fake Discord received (so it shows what the platforms were sent)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.discord.fake_discord import CHANNELS as DISCORD_CHANNELS
from tests.discord.test_flows import everything
from tests.support.fake_slack import CHANNELS as SLACK_CHANNELS
from tests.support.fake_slack import FakeMessage

EPHEMERAL = 64
SLACK_DATE = re.compile(r"<!date\^\d+\^[^|]*\|([^>]*)>")
SLACK_LINK = re.compile(r"<(https?://[^|>]+)\|[^>]*>")
DISCORD_TIME = re.compile(r"<t:(\d+):\w>")
MENTION = re.compile(r"<@(\w+)>")
SLACK_NAMES = {channel: name for name, channel in SLACK_CHANNELS.items()}
DISCORD_NAMES = {str(channel): name for name, channel in DISCORD_CHANNELS.items()}


@dataclass
class Transcript:
    """`members` names each account as the transcript shows it: {"UANA": "ana", 5002: "bo"}."""

    members: dict[str | int, str]
    lines: list[str] = field(default_factory=list)
    _slack_seen: int = 0
    _discord_seen: int = 0

    def step(self, title: str) -> None:
        self.lines += ["", f"== {title}"]

    def typed(self, who: str | int, platform: str, what: str) -> None:
        self.lines.append(f"{self.members[who]} ({platform})> {what}")

    def pressed(self, who: str | int, platform: str, label: str) -> None:
        self.lines.append(f"{self.members[who]} ({platform}) presses [{label}]")

    def read(self, slack: list[FakeMessage], discord: dict[str, Any], actor: str | int | None = None) -> None:
        """What arrived on each platform since the last read, under whom saw it (a Discord reply
        only its `actor` sees is theirs)."""
        for message in slack[self._slack_seen :]:
            self.saw(slack_reader(message, self.members), "Slack", slack_text(message))
        self._slack_seen = len(slack)
        for message in list(discord.values())[self._discord_seen :]:
            self.saw(discord_reader(message, self.members, actor), "Discord", discord_text(message))
        self._discord_seen = len(discord)

    def saw(self, reader: str, platform: str, text: str) -> None:
        """What `reader` saw (a message read again after its edits too)."""
        text = MENTION.sub(lambda m: "@" + self.named(m[1]), text)
        if text.strip():
            body = "\n".join("      " + line for line in text.strip().splitlines() if line.strip())
            self.lines.append(f"   -> {reader} ({platform}) sees:\n{body}")

    def named(self, user_id: str) -> str:
        """A mention's member as the transcript names them (Discord ids are numbers here)."""
        return self.members.get(int(user_id) if user_id.isdigit() else user_id, user_id)

    def write(self, path: Path) -> str:
        text = "\n".join(self.lines).lstrip() + "\n"
        path.write_text(text)
        return text


def slack_reader(message: FakeMessage, members: dict[str | int, str]) -> str:
    if message.only_for:
        return members.get(message.only_for, message.only_for)
    if message.channel.startswith("D"):
        return members.get(message.channel[1:], message.channel)
    return f"#{SLACK_NAMES.get(message.channel, message.channel)} (everyone there)"


def discord_reader(message: dict[str, Any], members: dict[str | int, str], actor: str | int | None) -> str:
    direct = int(message["channel_id"]) - 10_000
    if direct in members:
        return members[direct]
    if message["flags"] & EPHEMERAL and actor is not None:
        return members[actor]
    return f"#{DISCORD_NAMES.get(message['channel_id'], message['channel_id'])} (everyone there)"


def slack_text(message: FakeMessage) -> str:
    """The blocks as a reader sees them, dates as Slack's fallback text shows them."""
    parts = []
    for block in message.blocks:
        parts.append(block.get("text", {}).get("text", ""))
        parts.extend(e.get("text", "") for e in block.get("elements", []) if block["type"] == "context")
        labels = [e["text"]["text"] for e in block.get("elements", []) if e.get("type") == "button"]
        if labels:
            parts.append(" ".join(f"[{label}]" for label in labels))
    shown = "\n".join(part for part in parts if part) or message.text
    return SLACK_LINK.sub(r"\1", SLACK_DATE.sub(r"\1", shown))


def discord_text(message: dict[str, Any]) -> str:
    labels = [
        f"[{c['label']}]"
        for row in message.get("components") or []
        for c in row["components"]
        if c.get("label")
    ]
    shown = "\n".join([everything(message), " ".join(labels)])
    # Discord shows each reader the time in their own zone; the transcript shows it in UTC.
    return DISCORD_TIME.sub(lambda m: f"{datetime.fromtimestamp(int(m[1]), UTC):%a %d %b %H:%M} UTC", shown)
