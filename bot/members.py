"""Finding people from what members type, and addressing them on a platform."""

from __future__ import annotations

import re

from bot.context import Context
from bot.errors import UserError
from bot.refs import MemberRef
from storage.models import Person

# Adapters turn platform mentions into this one form: <@user_id>
MENTION = re.compile(r"^<@([^>|\s]+)>$")


def member_ref(person: Person, platform: str) -> MemberRef | None:
    """The person's account on `platform`, where the bot can reach them."""
    for identity in person.identities:
        if identity.platform == platform:
            return MemberRef(identity.platform, identity.workspace, identity.user_id)
    return None


def is_mention(text: str) -> bool:
    return bool(MENTION.match(text.strip()))


async def resolve_member(ctx: Context, text: str, example: str) -> Person:
    """A person from a mention (<@U123>) or a display name ("Ana Lima", "@ana")."""
    text = text.strip()
    found = MENTION.match(text)
    if found:
        person = await ctx.uow.people.by_identity(ctx.platform, ctx.workspace, found.group(1))
        people = [person] if person else []
    else:
        people = await ctx.uow.people.named(text.removeprefix("@"), ctx.platform, ctx.workspace)
    if not people:
        raise UserError(f"I can't find a member called \u201c{text}\u201d.", example)
    if len(people) > 1:
        raise UserError(f"More than one member is called \u201c{text}\u201d; mention them instead.", example)
    return people[0]
