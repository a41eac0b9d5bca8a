"""`/alumni help [command]`: every command with an example, or one explained."""

from __future__ import annotations

from bot.context import Context
from bot.core import COMMAND
from bot.errors import UserError
from bot.messages import Field, Message, Section, Strong, rich
from bot.outbound import Direct
from bot.permissions import facilitator_contacts
from bot.router import Feature, Param

feature = Feature("help")


@feature.command(
    "help",
    summary="List every command, or explain one",
    usage="help [command]",
    examples=("/alumni help", "/alumni help find"),
    params=(Param("command", "A command to explain", required=False),),
)
async def show_help(ctx: Context, args: str) -> None:
    name = args.strip().lower().removeprefix("/").removeprefix(f"{COMMAND} ")
    ctx.reply(explain(ctx, name) if name else overview(ctx))


@feature.on_direct_message
async def written_to(ctx: Context) -> None:
    ctx.send(short_help(ctx), Direct(ctx.actor.member))


def short_help(ctx: Context) -> Message:
    """The answer to a message written to the bot: it reads commands, here or in any channel."""
    return Message(
        (
            Section(
                (
                    f"Hi {ctx.person.display_name}! I don't read messages, but I answer commands, here or in "
                    f"any channel. To start:\n/{COMMAND} intro: your profile and introduction\n"
                    f"/{COMMAND} find <topic>: who knows what\n/{COMMAND} introduce <topic>: ask for an "
                    f"introduction\n/{COMMAND} match join: a one-on-one each round\n/{COMMAND} remind me "
                    f"<when> <what>: a reminder\n/{COMMAND} help: every command",
                )
            ),
        )
    )


def overview(ctx: Context) -> Message:
    """Every command a member may use; facilitators see theirs in a group of their own. Members
    learn in one line what facilitators run, and whom to ask."""
    specs = list(ctx.router.commands.values())
    everyone = tuple(
        line(spec.usage, spec.summary, spec.examples[0]) for spec in specs if not spec.facilitator_only
    )
    aliases = ", ".join(f"/{name}" for name in ctx.router.aliases)
    shortcuts = f"Shortcuts: {aliases}. " if aliases else ""
    footer = Section((f"{shortcuts}/{COMMAND} help <command> explains one.",))
    if not ctx.is_facilitator:
        ask = facilitator_contacts(ctx.settings.facilitators, ctx.actor.member)
        return Message(
            (
                Section(rich(Strong("alumni-bot commands")), everyone),
                Section(
                    rich(
                        "Facilitators also run polls, roundtables and matching rounds, and set reminders "
                        "for whole channels: for any of these, ask ",
                        *ask,
                        ".",
                    )
                ),
                footer,
            )
        )
    staff = tuple(
        line(spec.usage, spec.summary, spec.examples[0])
        if spec.facilitator_only
        else line(spec.facilitator_usage, spec.facilitator_summary, "")
        for spec in specs
        if spec.facilitator_only or spec.facilitator_usage
    )
    return Message(
        (
            Section(rich(Strong("For everyone")), everyone),
            Section(rich(Strong("For facilitators")), staff),
            footer,
        )
    )


def line(usage: str, summary: str, example: str) -> Field:
    return Field(f"/{COMMAND} {usage}", (f"{summary}. e.g. {example}" if example else f"{summary}.",))


def explain(ctx: Context, name: str) -> Message:
    spec = ctx.router.commands.get(name)
    if spec is None:
        raise UserError(f"There is no command \u201c{name}\u201d.", f"/{COMMAND} help")
    lines = [spec.summary + "."]
    if spec.details:
        lines.append(spec.details)
    if spec.facilitator_only:
        lines.append("Facilitators only.")
    elif spec.facilitator_usage and ctx.is_facilitator:
        lines.append(f"Facilitators: /{COMMAND} {spec.facilitator_usage}: {spec.facilitator_summary}.")
    return Message(
        (
            Section(rich(Strong(f"/{COMMAND} {spec.usage}"), "\n" + "\n".join(lines))),
            Section(("Examples:\n" + "\n".join(spec.examples),)),
        )
    )
