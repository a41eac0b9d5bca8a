"""`/alumni help [command]`: every command with an example, or one explained.

A command's summary, details and usage are marked with N_() where they are declared, and read
here in the reader's language (a usage's placeholders, `<when>`, are translated; the words typed
stay); an example marked with N_() reads in it too, and one left unmarked stays as it is."""

from __future__ import annotations

from bot.context import Context
from bot.core import COMMAND
from bot.errors import UserError
from bot.i18n import N_, _
from bot.messages import Field, Message, Section, Strong, filled, rich
from bot.outbound import Direct
from bot.permissions import facilitator_contacts
from bot.router import Feature, Param

feature = Feature("help")


@feature.command(
    "help",
    summary=N_("List every command, or explain one"),
    usage=N_("help [command]"),
    examples=("/alumni help", "/alumni help find"),
    params=(Param("command", N_("A command to explain"), required=False),),
)
async def show_help(ctx: Context, args: str) -> None:
    name = args.strip().lower().removeprefix("/").removeprefix(f"{COMMAND} ")
    ctx.reply(explain(ctx, name) if name else overview(ctx))


@feature.on_direct_message
async def written_to(ctx: Context) -> None:
    ctx.send(short_help(ctx), Direct(ctx.actor.member))


def short_help(ctx: Context) -> Message:
    """The answer to a message written to the bot: it reads commands, here or in any channel."""
    return Message.of(
        _(
            "Hi {name}! I don't read messages, but I answer commands, here or in any channel. To start:\n"
            "/{command} intro: your profile and introduction\n"
            "/{command} find <topic>: who knows what\n"
            "/{command} introduce <topic>: ask for an introduction\n"
            "/{command} match join: a one-on-one each round\n"
            "/{command} remind me <when> <what>: a reminder\n"
            "/{command} help: every command"
        ).format(name=ctx.person.display_name, command=COMMAND)
    )


def overview(ctx: Context) -> Message:
    """Every command a member may use; facilitators see theirs in a group of their own. Members
    learn in one line what facilitators run, and whom to ask."""
    specs = list(ctx.router.commands.values())
    everyone = tuple(
        line(spec.usage, spec.summary, spec.examples[0]) for spec in specs if not spec.facilitator_only
    )
    aliases = ", ".join(f"/{name}" for name in ctx.router.aliases)
    footer = Section(
        (
            _("Shortcuts: {aliases}. /{command} help <command> explains one.").format(
                aliases=aliases, command=COMMAND
            )
            if aliases
            else _("/{command} help <command> explains one.").format(command=COMMAND),
        )
    )
    if not ctx.is_facilitator:
        ask = facilitator_contacts(ctx.settings.facilitators, ctx.actor.member)
        return Message(
            (
                Section(rich(Strong(_("alumni-bot commands"))), everyone),
                Section(
                    filled(
                        _(
                            "Facilitators also run polls, roundtables and matching rounds, and set "
                            "reminders for whole channels: for any of these, ask {contacts}."
                        ),
                        contacts=tuple(ask),
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
            Section(rich(Strong(_("For everyone"))), everyone),
            Section(rich(Strong(_("For facilitators"))), staff),
            footer,
        )
    )


def line(usage: str, summary: str, example: str) -> Field:
    if example:
        # An example marked N_ (typed words in it) reads in the reader's language; others as they are.
        text = _("{summary}. e.g. {example}").format(summary=_(summary), example=_(example))
    else:
        text = f"{_(summary)}."
    return Field(f"/{COMMAND} {_(usage)}", (text,))


def explain(ctx: Context, name: str) -> Message:
    spec = ctx.router.commands.get(name)
    if spec is None:
        raise UserError(_("There is no command \u201c{name}\u201d.").format(name=name), f"/{COMMAND} help")
    lines = [f"{_(spec.summary)}."]
    if spec.details:
        lines.append(_(spec.details))
    if spec.facilitator_only:
        lines.append(_("Facilitators only."))
    elif spec.facilitator_usage and ctx.is_facilitator:
        lines.append(
            _("Facilitators: /{command} {usage}: {summary}.").format(
                command=COMMAND, usage=_(spec.facilitator_usage), summary=_(spec.facilitator_summary)
            )
        )
    return Message(
        (
            Section(rich(Strong(f"/{COMMAND} {_(spec.usage)}"), "\n" + "\n".join(lines))),
            Section((_("Examples:\n{examples}").format(examples="\n".join(_(e) for e in spec.examples)),)),
        )
    )
