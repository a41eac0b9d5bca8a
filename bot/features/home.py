"""`/alumni home`: a member's own page, their profile at a glance and the main things to do.

Slack shows it as the App Home tab; elsewhere it is a private reply. Each part is a
function of the context; a feature adds its part (next roundtable, current match,
reminders) to PARTS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.action_ids import action_id
from bot.cards import summary
from bot.context import Context
from bot.features.directory import EXAMPLE as FIND_EXAMPLE
from bot.features.intro_card.handlers import SET_UP_PROFILE, no_arguments
from bot.features.language import choose, picked
from bot.features.language import menu as language_menu
from bot.features.matching.handlers import home_part as match_part
from bot.features.roundtables.handlers import upcoming_blocks
from bot.i18n import N_, _
from bot.messages import Actions, Block, Button, Divider, Message, Section, Strong, rich
from bot.outbound import Update
from bot.router import Feature

Part = Callable[[Context], Awaitable[tuple[Block, ...]]]
INTRODUCE_EXAMPLE = N_("/alumni introduce licensing")


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


PARTS: tuple[Part, ...] = (profile_part, match_part, roundtable_part, commands_part, language_part)


async def home(ctx: Context) -> Message:
    blocks: list[Block] = [Section(rich(Strong(_("Hello, {name}").format(name=ctx.person.display_name))))]
    for part in PARTS:
        blocks.extend((Divider(), *await part(ctx)))
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
