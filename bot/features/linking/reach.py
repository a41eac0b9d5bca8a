"""Where a member found on another platform can be reached ("on Discord as bo"): a reader on
Slack cannot mention a Discord member, so the directory says where to look for them."""

from __future__ import annotations

from collections.abc import Iterable

from bot.i18n import _
from storage.links import accounts_of
from storage.unit_of_work import UnitOfWork

PLATFORM_NAMES = {"slack": "Slack", "discord": "Discord"}


async def elsewhere(uow: UnitOfWork, person_ids: Iterable[int], reader_platform: str) -> dict[int, str]:
    """For each person with no account on the reader's platform, where they can be reached."""
    found: dict[int, str] = {}
    for person_id, accounts in (await accounts_of(uow.session, person_ids)).items():
        if all(platform != reader_platform for platform, _name in accounts):
            found[person_id] = "; ".join(where(platform, name) for platform, name in accounts)
    return found


def where(platform: str, name: str) -> str:
    return _("on {platform} as {name}").format(platform=PLATFORM_NAMES.get(platform, platform), name=name)
