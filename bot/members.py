"""Finding people from what members type, and addressing them on a platform."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from bot.context import Context
from bot.errors import UserError
from bot.events import Command
from bot.i18n import _, ngettext
from bot.refs import MemberRef
from storage.models import Identity, Person

# Adapters turn platform mentions into this one form: <@user_id>
MENTION = re.compile(r"^<@([^>|\s]+)>$")
# What a platform's own member id looks like ("U012AB3CD", "80351110224678912", "ana-lima").
PLATFORM_ID = re.compile(r"^[A-Za-z0-9_-]{2,64}$")
MAX_LISTED = 5
Key = TypeVar("Key", int, str)


# How often an account's last use is written: each event would otherwise write a row.
USE_NOTED_EVERY = timedelta(minutes=1)
NEVER = datetime.min.replace(tzinfo=UTC)


def reach(person: Person) -> MemberRef | None:
    """Where the bot reaches `person`, whatever it says to them (see reaching_account)."""
    found = reaching_account(person)
    return ref_of(found) if found else None


def reaching_account(person: Person) -> Identity | None:
    """On the platform the person chose when they have an account there, else the account they
    used last, else their oldest."""
    chosen = [i for i in person.identities if i.platform == person.reach_platform]
    accounts = chosen or person.identities
    return max(accounts, key=lambda i: (i.last_used_at or NEVER, -i.id)) if accounts else None


def account_on(person: Person, where: MemberRef) -> MemberRef | None:
    """The person's account on the platform and workspace of `where`, where it can mention them."""
    for identity in person.identities:
        if (identity.platform, identity.workspace) == (where.platform, where.workspace):
            return ref_of(identity)
    return None


def ref_of(identity: Identity) -> MemberRef:
    return MemberRef(identity.platform, identity.workspace, identity.user_id)


def note_use(person: Person, member: MemberRef, now: datetime) -> None:
    """Remember that the person acted through `member`, in the event's own transaction: at most
    once a minute per account, unless another of their accounts was used since."""
    used = next((i for i in person.identities if ref_of(i) == member), None)
    if used is None:
        return
    last = used.last_used_at
    others = max((i.last_used_at or NEVER for i in person.identities if i is not used), default=NEVER)
    if last is None or now - last >= USE_NOTED_EVERY or others >= last:
        used.last_used_at = now


def is_mention(text: str) -> bool:
    return bool(MENTION.match(text.strip()))


def name_key(name: str) -> str:
    """A name as compared when members type it: any case, accents dropped, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def matching_names(typed: str, names: Iterable[tuple[Key, Sequence[str]]]) -> list[Key]:
    """Whom `typed` names among (key, their names): everyone whose name it is, else everyone
    with a name (or a word of it) that it begins ("bo" finds Bo Chen, "chen" too)."""
    key = name_key(typed)
    if not key:
        return []
    exact: list[Key] = []
    prefix: list[Key] = []
    for found, known in names:
        keys = [name_key(name) for name in known]
        if key in keys:
            exact.append(found)
        elif any(k.startswith(key) or any(w.startswith(key) for w in k.split()) for k in keys):
            prefix.append(found)
    return list(dict.fromkeys(exact or prefix))


async def resolve_member(ctx: Context, text: str, example: str) -> Person:
    """A person from a mention (<@U123>), a platform id, or a name ("Ana Lima", "@ana", "bo"):
    their whole name or the start of it, in any case and with or without accents.
    `example` may hold "{who}": the example names someone who exists where it can."""
    text = text.strip()
    found = MENTION.match(text)
    typed = found.group(1) if found else text.removeprefix("@")
    # A member a platform gave as a typed option is found by reference; a typed id on this platform.
    given = ctx.event.given_member(typed) if found and isinstance(ctx.event, Command) else None
    if given is None and PLATFORM_ID.match(typed):
        given = MemberRef(ctx.platform, ctx.workspace, typed)
    if given is not None:
        person = await ctx.uow.people.by_identity(given.platform, given.workspace, given.user_id)
        if person is not None:
            return person
    ids = [] if found else await named(ctx, typed)
    if not ids:
        raise UserError(
            _("I can't find a member called \u201c{name}\u201d.").format(name=text),
            example.replace("{who}", "@Ana"),
        )
    people = await ctx.uow.people.get_many(ids)
    if len(ids) > 1:
        raise UserError(
            _(
                "{count} members match \u201c{name}\u201d: {names}. Type more of the name, or mention them."
            ).format(count=len(ids), name=text, names=listed(people[i] for i in ids)),
            example.replace("{who}", f"@{people[ids[0]].display_name}"),
        )
    return people[ids[0]]


async def named(ctx: Context, typed: str) -> list[int]:
    """Whom a typed name names: members with an account here, else (one network) those reached on
    another platform."""
    people = ctx.uow.people
    here = matching_names(typed, await people.names_on(ctx.platform, ctx.workspace))
    return here or matching_names(typed, await people.names_elsewhere(ctx.platform, ctx.workspace))


def listed(people: Iterable[Person]) -> str:
    """ "Ana Lima (GBIF), Ana Souza and 3 more": the first few by name."""
    everyone = list(people)
    names = ", ".join(choice(person) for person in everyone[:MAX_LISTED])
    more = len(everyone) - MAX_LISTED
    if more <= 0:
        return names
    return ngettext("{names} and {count} more", "{names} and {count} more", more).format(
        names=names, count=more
    )


def choice(person: Person) -> str:
    return f"{person.display_name} ({person.organisation})" if person.organisation else person.display_name


def someone_else(person: Person) -> str:
    """A name for examples that is not the member's own (an example must not be what failed)."""
    return "@Bo" if name_key(person.display_name).startswith("ana") else "@Ana"
