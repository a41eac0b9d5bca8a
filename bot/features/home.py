"""`/alumni home`: a member's own page, their profile at a glance and the main things to do.

Slack shows it as the App Home tab; elsewhere it is a private reply. Each part is a
function of the context; a feature adds its part (next roundtable, current match,
reminders) to PARTS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.action_ids import OneOf, action_id
from bot.cards import summary
from bot.context import Context
from bot.errors import UserError
from bot.features.directory import EXAMPLE as FIND_EXAMPLE
from bot.features.intro_card.handlers import SET_UP_PROFILE, no_arguments
from bot.features.language import choose, picked
from bot.features.language import menu as language_menu
from bot.features.linking.reach import PLATFORM_NAMES, platforms_of
from bot.features.matching.handlers import home_part as match_part
from bot.features.roundtables.handlers import upcoming_blocks
from bot.i18n import N_, _
from bot.members import reach
from bot.messages import Actions, Block, Button, Divider, Message, Section, Strong, rich
from bot.outbound import Update
from bot.router import Feature

Part = Callable[[Context], Awaitable[tuple[Block, ...]]]
INTRODUCE_EXAMPLE = N_("/alumni introduce licensing")
LAST = "last"  # reach the member on the platform they used last


async def profile_part(ctx: Context) -> tuple[Block, ...]:
    if ctx.person.profile_saved_at is None:
        return (
            Section(
                (_("You have no profile yet. A short one lets others find you and ask for introductions."),)
            ),
            Actions((Button(_(SET_UP_PROFILE), action_id("profile", "edit"), "primary"),)),
        )
    return (
        summary(ctx.person),
        Actions(
            (
                Button(_("Edit my profile"), action_id("profile", "edit")),
                Button(_("Edit my topics"), action_id("profile", "topics")),
            )
        ),
    )


async def commands_part(ctx: Context) -> tuple[Block, ...]:
    return (
        Section(
            rich(
                Strong(_("What you can do")),
                "\n"
                + _(
                    "Find people: {find}\n"
                    "Ask for an introduction: {introduce}\n"
                    "See what is stored about you: /alumni my-data\n"
                    "Every command: /alumni help"
                ).format(find=_(FIND_EXAMPLE), introduce=_(INTRODUCE_EXAMPLE)),
            )
        ),
    )


async def roundtable_part(ctx: Context) -> tuple[Block, ...]:
    return (Section(rich(Strong(_("Next roundtable")))), *await upcoming_blocks(ctx, 1))


async def language_part(ctx: Context) -> tuple[Block, ...]:
    return (
        Section(rich(Strong(_("The language I speak to you")))),
        Actions((language_menu(ctx, action_id("home", "language")),)),
    )


async def reach_part(ctx: Context) -> tuple[Block, ...]:
    """Where the bot writes to a member with accounts on several platforms (nothing for the others)."""
    platforms = platforms_of(ctx.person)
    if len(platforms) < 2:
        return ()
    chosen = ctx.person.reach_platform if ctx.person.reach_platform in platforms else LAST
    choices = [(PLATFORM_NAMES.get(p, p), p) for p in platforms] + [(_("The one I used last"), LAST)]
    buttons = tuple(
        Button(label, action_id("home", "reach", value), "primary" if value == chosen else "default")
        for label, value in choices
    )
    return (Section(rich(Strong(_("Reach me on:")))), Actions(buttons))


PARTS: tuple[Part, ...] = (
    profile_part,
    match_part,
    roundtable_part,
    commands_part,
    language_part,
    reach_part,
)


async def home(ctx: Context) -> Message:
    blocks: list[Block] = [Section(rich(Strong(_("Hello, {name}").format(name=ctx.person.display_name))))]
    for part in PARTS:
        if drawn := await part(ctx):
            blocks.extend((Divider(), *drawn))
    return Message(tuple(blocks))


feature = Feature("home")


@feature.command(
    "home",
    summary=N_("Your profile at a glance and the main things to do"),
    usage="home",
    examples=("/alumni home",),
    details=N_("On Slack this is also the bot's Home tab."),
)
async def show_home(ctx: Context, args: str) -> None:
    no_arguments(args, "/alumni home")
    ctx.reply(await home(ctx))


@feature.action("home", "language")
async def language_from_home(ctx: Context) -> None:
    """The language menu on the home: confirmed, and the home drawn again in the new language."""
    choose(ctx, picked(ctx))
    ctx.send(await home(ctx), Update())


@feature.action("home", "reach", OneOf((*PLATFORM_NAMES, LAST)))
async def reach_from_home(ctx: Context, choice: str) -> None:
    """ "Reach me on" on the home: confirmed, and the home drawn again with the new choice."""
    if choice != LAST and choice not in platforms_of(ctx.person):
        raise UserError(
            _("You have no {platform} account linked, so I can't reach you there.").format(
                platform=PLATFORM_NAMES[choice]
            ),
            "/alumni home",
        )
    ctx.person.reach_platform = "" if choice == LAST else choice
    reached = reach(ctx.person)
    now_on = PLATFORM_NAMES.get(reached.platform, reached.platform) if reached else ""
    said = (
        _("Done: I'll reach you on the platform you used last ({platform} for now).")
        if choice == LAST
        else _("Done: from now on I'll reach you on {platform}.")
    )
    ctx.reply(said.format(platform=now_on))
    ctx.send(await home(ctx), Update())
