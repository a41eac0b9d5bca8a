"""A poll in several channels, on one platform or both: the channels a facilitator names
(`--also discord:#general`) or `[bot] mirror_channels` adds, found before anything is saved,
and each copy's place (its channel and the name its message is posted under).

Every copy shows the one poll: the same votes, refreshed together, closed together. A roundtable
made by a time-slot poll is announced wherever its poll was (bot.features.roundtables.service).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.errors import UserError
from bot.features.linking.reach import PLATFORM_NAMES
from bot.i18n import N_, _
from bot.outbound import Update
from bot.places import PLATFORMS, ChannelFinder, split_place
from bot.refs import ChannelRef, MessageRef
from storage.models import ChannelCopy
from storage.unit_of_work import UnitOfWork

ALSO_EXAMPLE = N_('/alumni poll "Lunch on Friday?" "Pizza" "Salad" --also discord:#general')


@dataclass(frozen=True)
class Place:
    """Where one copy of a message is: its channel, and the name it is posted under."""

    channel: ChannelRef
    name: str

    def update(self) -> Update:
        return Update(name=self.name, platform=self.channel.platform)


@dataclass(frozen=True)
class Copies:
    """The further channels to post in (each as it was typed), and those of
    `[bot] mirror_channels` left out (and why)."""

    channels: tuple[tuple[ChannelRef, str], ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()


def copy_place(copy: ChannelCopy) -> Place:
    return Place(ChannelRef(copy.platform, copy.workspace, copy.channel_id), f"copy:{copy.id}")


async def pressed_on(pressed: MessageRef | None, uow: UnitOfWork, places: Sequence[Place]) -> bool | None:
    """Whether the `pressed` message is the one posted at one of `places`; None when none of
    them is posted yet (or nothing was pressed), so nothing can be told."""
    posted = [p for p in [await uow.posted.get(place.name) for place in places] if p is not None]
    if pressed is None or not posted:
        return None
    return (pressed.platform, pressed.channel_id, pressed.message_id) in {
        (p.platform, p.channel_id, p.message_id) for p in posted
    }


def platform_name(platform: str) -> str:
    return PLATFORM_NAMES.get(platform, platform)


async def find(finders: Mapping[str, ChannelFinder], typed: str) -> ChannelRef | str:
    """The channel `typed` names ("discord:#general"), or what is wrong with it."""
    split = split_place(typed)
    if split is None:
        return _(
            "\u201c{place}\u201d is not a channel I can read: write the platform, a colon and the "
            "channel, like discord:#general."
        ).format(place=typed)
    platform, channel = split
    if platform not in PLATFORMS:
        return _("I don't know the platform \u201c{platform}\u201d: say slack or discord.").format(
            platform=platform
        )
    finder = finders.get(platform)
    if finder is None:
        return _("This bot is not connected to {platform} here, so it cannot post in {place}.").format(
            platform=platform_name(platform), place=typed
        )
    found = await finder.find_channel(channel)
    if found is None:
        return _("I can't find the channel #{channel} on {platform} (or I can't post there).").format(
            channel=channel, platform=platform_name(platform)
        )
    return found


async def copies_for(
    finders: Mapping[str, ChannelFinder],
    origin: ChannelRef,
    also: Sequence[str],
    mirrors: Mapping[str, Sequence[str]],
    example: str,
) -> Copies:
    """The channels named with --also (any that cannot be used stops everything, so nothing is
    half-posted) and those the configuration mirrors `origin` to (any that cannot be used is
    left out and said), without `origin` or doubles."""
    channels: dict[ChannelRef, str] = {}
    for typed in also:
        found = await find(finders, typed)
        if isinstance(found, str):
            raise UserError(found, _(example))
        channels.setdefault(found, typed)
    skipped: list[tuple[str, str]] = []
    for key, targets in mirrors.items():
        if await find(finders, key) != origin:
            continue
        for typed in targets:
            found = await find(finders, typed)
            if isinstance(found, str):
                skipped.append((typed, found))
            else:
                channels.setdefault(found, typed)
    channels.pop(origin, None)
    return Copies(tuple(channels.items()), tuple(skipped))


def copies_said(copies: Copies) -> list[str]:
    """What the facilitator is told of the copies: where they went, and what was left out."""
    said = []
    if copies.channels:
        names = ", ".join(typed for _channel, typed in copies.channels)
        said.append(_("Also posted in: {channels}.").format(channels=names))
    said += [
        _("Not posted in {place} (from [bot] mirror_channels): {problem}").format(
            place=place, problem=problem
        )
        for place, problem in copies.skipped
    ]
    return said
