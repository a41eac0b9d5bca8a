"""Where a member found on another platform can be reached ("on Discord as bo"): a reader on
Slack cannot mention a Discord member, so the directory says where to look for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.i18n import _
from bot.members import account_on, reach, reaching_account
from bot.messages import Inline, Mention
from bot.refs import MemberRef
from storage.links import accounts_of
from storage.models import Person
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


def platforms_of(person: Person) -> list[str]:
    """The platforms the person has an account on, in the order they were made."""
    return list(dict.fromkeys(i.platform for i in sorted(person.identities, key=lambda i: i.id)))


def called(person: Person, reader: MemberRef | None) -> Inline:
    """The person as `reader` can address them: a mention where they share a platform (None: the
    conversation everyone shares, where each is reached), else their name."""
    ref = reach(person) if reader is None else account_on(person, reader)
    return Mention(ref, person.display_name) if ref else person.display_name


def where_to_write(people: Sequence[Person], reader: MemberRef | None) -> list[str]:
    """ "Bo Chen, on Discord as @bo", for each of `people` the reader cannot mention from where
    they read: their handle on the platform that reaches them."""
    lines = []
    for person in people:
        account = reaching_account(person)
        if reader is None or account is None or account_on(person, reader):
            continue
        there = where(account.platform, f"@{account.display_name}")
        lines.append(_("{name}, {where}").format(name=person.display_name, where=there))
    return lines
