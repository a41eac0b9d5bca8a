"""The OAuth2 link that adds the bot to a server, with exactly the permissions it uses."""

from __future__ import annotations

import base64

import discord

SCOPES = ("bot", "applications.commands")


def permissions() -> discord.Permissions:
    return discord.Permissions(
        view_channel=True,  # see the introductions and matches channels
        send_messages=True,  # introduction cards and public posts
        embed_links=True,  # profiles are embeds
        attach_files=True,  # data exports and charts
        create_private_threads=True,  # introductions between two or three members
        send_messages_in_threads=True,  # the first message in those threads, and adding members
    )


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=permissions(), scopes=SCOPES)


def application_id_from(token: str) -> int:
    """A bot token starts with its application's id in base64 (the bot user shares that id)."""
    first = token.split(".", 1)[0]
    try:
        return int(base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)))
    except ValueError:
        raise ValueError("DISCORD_TOKEN does not look like a bot token") from None
