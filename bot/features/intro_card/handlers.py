"""Profiles, the welcome flow and introduction cards: `/intro`, `/profile`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.action_ids import action_id
from bot.cards import intro_card, profile_card
from bot.context import Context
from bot.errors import FormInvalid, UserError
from bot.features.language import AUTO, choose
from bot.features.language import menu as language_menu
from bot.features.language import parse as parse_language
from bot.geo import REGION_OF, country_shown, lookup_place, resolve_timezone
from bot.i18n import N_, _, speaking
from bot.members import resolve_member
from bot.messages import Actions, Button, Form, Input, Message
from bot.outbound import Delete, Direct, Public, Update
from bot.refs import MessageRef
from bot.router import Feature, Param
from bot.text import split_list
from storage.models import Person
from storage.unit_of_work import UnitOfWork

MAX_BIO = 500
MAX_TOPICS = 10
MAX_TOPIC = 60


SET_UP_PROFILE = N_("Set up my profile")

feature = Feature("intro_card")


@feature.command(
    "intro",
    summary=N_("Set up your profile and post your introduction"),
    usage="intro",
    examples=("/alumni intro", "/intro"),
    details=N_("Opens a form; saving it posts (or updates) your introduction card."),
    alias=True,
)
async def intro(ctx: Context, args: str) -> None:
    no_arguments(args, "/alumni intro")
    ctx.open_form(about_form(ctx.person))


@feature.command(
    "profile",
    summary=N_("Show a member's profile (yours by default)"),
    usage=N_("profile [member]"),
    examples=("/alumni profile", "/alumni profile @Ana"),
    params=(Param("member", N_("Whose profile"), kind="member", required=False),),
    alias=True,
)
async def profile(ctx: Context, args: str) -> None:
    if not args:
        edit = Actions((Button(_("Edit my profile"), action_id("profile", "edit"), "primary"),))
        card = profile_card(ctx.person)
        ctx.reply(Message((*card.blocks, edit, Actions((language_menu(ctx),)))))
        return
    person = await resolve_member(ctx, args, "/alumni profile {who}")
    ctx.reply(profile_card(person))


@feature.action("profile", "edit")
async def edit(ctx: Context) -> None:
    ctx.open_form(about_form(ctx.person))


@feature.action("profile", "topics")
async def edit_topics(ctx: Context) -> None:
    ctx.open_form(topics_form(ctx.person))


@feature.form("profile", "about")
async def save_about(ctx: Context, values: dict[str, str]) -> None:
    apply_about(ctx.person, values)
    ctx.person.profile_saved_at = ctx.now()
    posted = await refresh_card(ctx)
    saved = _("Saved. {news}").format(news=card_news(ctx, posted))
    if ctx.person.tag_labels("expertise"):
        ctx.reply(saved)
        return
    ctx.follow_with(topics_form(ctx.person))
    ctx.reply(
        Message.of(
            _("{saved} Next, add what you can help with and want to learn, so people can find you.").format(
                saved=saved
            ),
            Actions((Button(_("Add my topics"), action_id("profile", "topics"), "primary"),)),
        )
    )


@feature.form("profile", "topics")
async def save_topics(ctx: Context, values: dict[str, str]) -> None:
    tags, language = parse_topics(values)
    ctx.person.bio = values.get("bio", "").strip()
    for kind, labels in tags.items():
        await ctx.uow.people.replace_tags(ctx.person, kind, labels)
    ctx.person.profile_saved_at = ctx.now()
    if language != (ctx.person.language or AUTO):
        choose(ctx, language)  # said, and what follows said, in the language just chosen
    ctx.reply(card_news(ctx, await refresh_card(ctx)))


@feature.on_join
async def welcome(ctx: Context) -> None:
    cohort = await ctx.uow.cohorts.ensure(ctx.settings.bot.default_cohort, ctx.now())
    await ctx.uow.cohorts.add_member(cohort, ctx.person.id, ctx.now())
    if ctx.person.profile_saved_at is None:
        ctx.send(
            Message.of(
                _(
                    "Welcome to the network, {name}! I help alumni keep learning from each other: "
                    "introductions, one-on-one matches and roundtables.\n"
                    "Start with a short profile so others know what you can help with."
                ).format(name=ctx.person.display_name),
                Actions((Button(_(SET_UP_PROFILE), action_id("profile", "edit"), "primary"),)),
                Actions((language_menu(ctx),)),  # in case the platform's language is not theirs
            ),
            Direct(ctx.actor.member),
        )


def no_arguments(args: str, example: str) -> None:
    if args:
        raise UserError(
            _("This command takes no arguments (got \u201c{args}\u201d).").format(args=args), example
        )


def about_form(person: Person) -> Form:
    return Form(
        title=_("About you"),
        action_id=action_id("profile", "about"),
        inputs=(
            Input("name", _("Name"), initial=person.display_name, max_length=80),
            Input(
                "organisation",
                _("Organisation"),
                initial=person.organisation,
                max_length=120,
                placeholder=_("e.g. OpenStreetMap Foundation"),
            ),
            Input(
                "role",
                _("Role"),
                initial=person.role,
                required=False,
                max_length=120,
                placeholder=_("e.g. Data programme lead"),
            ),
            Input(
                "country",
                _("Country"),
                initial=place_shown(person),
                max_length=100,
                placeholder=_("e.g. Kenya (or \u201cKenya, Europe\u201d for another world region)"),
            ),
            Input(
                "timezone",
                _("Time zone"),
                initial=person.timezone,
                max_length=64,
                placeholder=_("e.g. Africa/Nairobi or Nairobi"),
            ),
        ),
    )


def topics_form(person: Person) -> Form:
    return Form(
        title=_("Your topics"),
        action_id=action_id("profile", "topics"),
        inputs=(
            Input(
                "expertise",
                _("Can help with (comma-separated)"),
                max_length=400,
                initial=", ".join(person.tag_labels("expertise")),
                placeholder=_("e.g. data licensing, APIs"),
            ),
            Input(
                "learning",
                _("Wants to learn (comma-separated)"),
                max_length=400,
                required=False,
                initial=", ".join(person.tag_labels("learning")),
                placeholder=_("e.g. fundraising"),
            ),
            Input(
                "languages",
                _("Languages"),
                max_length=200,
                required=False,
                initial=", ".join(person.tag_labels("language")),
                placeholder=_("e.g. English, Swahili"),
            ),
            Input(
                "bio",
                _("A few words about you"),
                kind="long",
                required=False,
                max_length=MAX_BIO,
                initial=person.bio,
            ),
            Input(
                "language",
                _("Language I speak to you"),
                required=False,
                max_length=40,
                initial=person.language or AUTO,
                placeholder=_("en, es, fr or pt; auto follows your Slack or Discord language"),
            ),
        ),
    )


def place_shown(person: Person) -> str:
    """The country field as the member would type it: "Kenya", or "Kenya, Europe" when they
    chose a region other than their country's."""
    if not person.country:
        return ""
    if person.region_is_override and person.region:
        return f"{country_shown(person.country)}, {_(person.region)}"  # lookup_place reads it back
    return country_shown(person.country)


def apply_about(person: Person, values: dict[str, str]) -> None:
    """Check every field first, then write: a form with an error changes nothing."""
    errors: dict[str, str] = {}
    name = values.get("name", "").strip()
    organisation = values.get("organisation", "").strip()
    if not name:
        errors["name"] = _("Please give a name, e.g. Ana Lima.")
    elif len(name) > 80:
        errors["name"] = _("A name has at most {count} characters.").format(count=80)
    if not organisation:
        errors["organisation"] = _("Please give your organisation, e.g. OpenStreetMap Foundation.")
    elif len(organisation) > 120:
        errors["organisation"] = _("An organisation has at most {count} characters.").format(count=120)
    role = values.get("role", "").strip()
    if len(role) > 120:
        errors["role"] = _("A role has at most {count} characters.").format(count=120)
    place = _field(errors, "country", lambda: lookup_place(values.get("country", "")))
    zone = _field(errors, "timezone", lambda: resolve_timezone(values.get("timezone", "")))
    if errors:
        raise FormInvalid(errors)
    country, region = place
    person.display_name, person.organisation, person.role = name, organisation, role
    person.country, person.timezone = country.code, zone
    person.region_is_override = bool(region)
    person.region = region or REGION_OF.get(country.code, "")


def parse_topics(values: dict[str, str]) -> tuple[dict[str, list[str]], str]:
    """The tags of each kind, and the language chosen (a code or `auto`)."""
    errors: dict[str, str] = {}
    tags: dict[str, list[str]] = {}
    for kind, name in (("expertise", "expertise"), ("learning", "learning"), ("language", "languages")):
        labels = split_list(values.get(name, ""))
        if len(labels) > MAX_TOPICS:
            errors[name] = _("At most {count} entries, separated by commas.").format(count=MAX_TOPICS)
        elif any(len(label) > MAX_TOPIC for label in labels):
            errors[name] = _("Each entry has at most {count} characters, e.g. open data, licensing.").format(
                count=MAX_TOPIC
            )
        tags[kind] = labels
    if not tags["expertise"]:
        errors["expertise"] = _("Name at least one thing you can help with, e.g. data licensing.")
    if len(values.get("bio", "")) > MAX_BIO:
        errors["bio"] = _("The bio has at most {count} characters (this one has {length}).").format(
            count=MAX_BIO, length=len(values["bio"])
        )
    typed = values.get("language", "").strip()
    language = _field(errors, "language", lambda: parse_language(typed, "es")) if typed else AUTO
    if errors:
        raise FormInvalid(errors)
    return tags, language


def _field(errors: dict[str, str], name: str, parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except UserError as error:
        errors[name] = error.text()
        return None


def card_name(person_id: int, platform: str, workspace: str) -> str:
    """The name the introduction card is posted under, to update or take it down later."""
    return f"card:{person_id}:{platform}:{workspace}"


async def refresh_card(ctx: Context) -> bool:
    """Post the introduction card, or update it in place once posted. True when newly posted."""
    name = card_name(ctx.person.id, ctx.platform, ctx.workspace)
    with speaking(ctx.settings.bot.channel_speaks):  # a card many read
        card = intro_card(ctx.person)
    if await ctx.uow.posted.known(name):
        ctx.send(card, Update(name=name))
        return False
    ctx.send(card, Public(ctx.settings.intro_card.channel), name=name)
    return True


def card_news(ctx: Context, posted: bool) -> str:
    where = f"#{ctx.settings.intro_card.channel}"
    if posted:
        return _("Your introduction is posted in {channel}.").format(channel=where)
    return _("Your introduction is updated in {channel}.").format(channel=where)


async def export_profile(uow: UnitOfWork, person_id: int) -> dict[str, object]:
    person = await uow.people.get(person_id)
    assert person is not None
    return {
        "name": person.display_name,
        "organisation": person.organisation,
        "role": person.role,
        "country": person.country,
        "region": person.region,
        "timezone": person.timezone,
        "locale": person.locale,
        "language": person.language,  # the one chosen; "" follows the locale
        "bio": person.bio,
        "can_help_with": person.tag_labels("expertise"),
        "wants_to_learn": person.tag_labels("learning"),
        "languages": person.tag_labels("language"),
        "accounts": [
            {"platform": i.platform, "workspace": i.workspace, "user_id": i.user_id}
            for i in person.identities
        ],
        "cohorts": await uow.cohorts.of_person(person_id),
        "introduction_cards": [
            {"platform": c.platform, "channel": c.channel_id, "message": c.message_id}
            for c in await uow.posted.named_like(f"card:{person_id}:")
        ],
        "created_at": person.created_at,
    }


async def forget_cards(uow: UnitOfWork, person_id: int) -> list[Delete]:
    """The cards to take down, posted or still waiting in the outbox (which drops them)."""
    person = await uow.people.get(person_id)
    names = [card_name(person_id, i.platform, i.workspace) for i in (person.identities if person else [])]
    return await take_down(uow, names)


async def take_down(uow: UnitOfWork, names: list[str]) -> list[Delete]:
    """Those of these cards that were posted (or wait in the outbox, which drops them), to delete.
    A posted card's deletion names its message too, so the card's own platform takes it down
    whichever platform the member asked from."""
    known = [name for name in names if await uow.posted.known(name)]
    deletions = []
    for name in known:
        await uow.outbox.cancel_lane(name)
        posted = await uow.posted.get(name)
        ref = (
            MessageRef(posted.platform, posted.workspace, posted.channel_id, posted.message_id)
            if posted
            else None
        )
        deletions.append(Delete(ref, name=name))
    return deletions


feature.data("profile", export_profile, forget_cards)
