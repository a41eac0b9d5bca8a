"""`/alumni link`, `/alumni unlink` and `/alumni links`: one member across Slack and Discord.

A code made on one platform and typed on the other joins the two accounts' people into one
(bot.features.linking.merge). Wrong codes are counted per account, so codes cannot be guessed;
a wrong code is answered without raising, so the count survives the answer.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from bot.action_ids import RECORD, Number, action_id
from bot.cards import summary
from bot.context import Context
from bot.errors import UserError, stale_button
from bot.events import Command
from bot.features.intro_card.handlers import card_name, no_arguments, take_down
from bot.features.linking import fields
from bot.features.linking.codes import code_hash, new_code, read_code, shown
from bot.features.linking.merge import join_people
from bot.features.linking.reach import PLATFORM_NAMES, where
from bot.i18n import N_, _, join_list, ngettext
from bot.messages import Actions, Button, Message, Section, Strong, filled, rich
from bot.outbound import Direct, Update
from bot.refs import MemberRef
from bot.router import Feature, Param
from storage import merging
from storage.links import accounts_of, linked_people
from storage.models import Identity, LinkCode, Person

VALID_FOR = timedelta(minutes=15)
MAX_WRONG = 5  # wrong codes an account may enter in WRONG_WINDOW
WRONG_WINDOW = timedelta(minutes=15)
EXAMPLE_CODE = "K7MX-2QPA"
ENTER_EXAMPLE = f"/alumni link {EXAMPLE_CODE}"
OTHER_PLATFORM = {"slack": "discord", "discord": "slack"}
MAX_LISTED = 40
MASK = Number(0, fields.EVERY_PART)  # which profile parts come from the account typing the code

feature = Feature("linking")


@feature.command(
    "link",
    summary=N_("Link your Slack and Discord accounts, so you are one member on both"),
    usage=N_("link [code]"),
    examples=("/alumni link", ENTER_EXAMPLE),
    params=(Param("code", N_("The code /alumni link gave you on your other platform"), required=False),),
    details=N_(
        "Without a code, you get a one-time code, valid for 15 minutes: type it on your other "
        "platform with /alumni link <code>. When both accounts have a profile, you choose which to keep."
    ),
)
async def link(ctx: Context, args: str) -> None:
    if args.strip():
        await enter_code(ctx, args)
    else:
        await give_code(ctx)


async def give_code(ctx: Context) -> None:
    code, now = new_code(), ctx.now()
    await ctx.uow.link_codes.replace(
        own_identity(ctx).id, await code_hash(ctx.uow, code, now), now, now + VALID_FOR
    )
    typed = f"/alumni link {shown(code)}"
    other = OTHER_PLATFORM.get(ctx.platform)
    then = (
        _("On {platform}, type: {command}").format(platform=platform_name(other), command=typed)
        if other
        else _("On your other platform, type: {command}").format(command=typed)
    )
    ctx.reply(
        Message(
            (
                Section(filled(_("Your link code: {code}"), code=Strong(shown(code)))),
                Section((_("It works once, for 15 minutes; a new code replaces it."),)),
                Section((then,)),
            )
        )
    )


async def enter_code(ctx: Context, typed: str) -> None:
    code = read_code(typed)
    if code is None:
        raise UserError(
            _("A link code has 8 letters and digits, like {code}.").format(code=EXAMPLE_CODE), ENTER_EXAMPLE
        )
    identity, now = own_identity(ctx), ctx.now()
    wrong = await ctx.uow.link_codes.wrong_attempts(identity.id, now - WRONG_WINDOW)
    refuse_after_too_many(wrong, now)
    found = await ctx.uow.link_codes.find(await code_hash(ctx.uow, code, now))
    if found is None:
        await ctx.uow.link_codes.add_wrong_attempt(identity.id, now)  # kept: no exception rolls it back
        problem = _(
            "I don't know that code. Check it, or make a new one with /alumni link on your other platform."
        )
        ctx.reply(UserError(problem, ENTER_EXAMPLE).text())
        return
    made, maker = found
    other = await usable(ctx, made, maker, identity)
    if ctx.person.profile_saved_at is not None and other.profile_saved_at is not None:
        made.entered_by = identity.id
        ctx.reply(choice(ctx, made, maker, other))
        return
    # One profile (or none): it is kept without asking.
    kept, dropped = (
        (other, ctx.person)
        if other.profile_saved_at or not ctx.person.profile_saved_at
        else (ctx.person, other)
    )
    await finish(ctx, made, kept, dropped)


def refuse_after_too_many(wrong: list[datetime], now: datetime) -> None:
    """Wrong codes are limited (MAX_WRONG in WRONG_WINDOW), so codes cannot be guessed."""
    if len(wrong) < MAX_WRONG:
        return
    minutes = math.ceil((wrong[-MAX_WRONG] + WRONG_WINDOW - now).total_seconds() / 60)
    raise UserError(
        ngettext(
            "Too many wrong codes. You can try again in {minutes} minute.",
            "Too many wrong codes. You can try again in {minutes} minutes.",
            minutes,
        ).format(minutes=minutes),
        ENTER_EXAMPLE,
    )


def choice(ctx: Context, made: LinkCode, maker: Identity, other: Person) -> Message:
    there, here = platform_name(maker.platform), platform_name(ctx.platform)
    return Message(
        (
            Section(
                (
                    _(
                        "Both accounts have a profile: which one do you keep? The other profile is deleted; "
                        "your introductions, matches, reminders, votes and RSVPs are kept either way."
                    ),
                )
            ),
            Section(rich(Strong(_("Your {platform} profile").format(platform=there)))),
            summary(other),
            Section(rich(Strong(_("Your {platform} profile").format(platform=here)))),
            summary(ctx.person),
            Actions(
                (
                    Button(
                        _("Keep the {platform} profile").format(platform=there),
                        action_id("link", "keep", made.id, other.id),
                    ),
                    Button(
                        _("Keep the {platform} profile").format(platform=here),
                        action_id("link", "keep", made.id, ctx.person.id),
                    ),
                    Button(_("Choose part by part"), action_id("link", "parts", made.id, 0)),
                    Button(_("Don't link"), action_id("link", "cancel", made.id)),
                )
            ),
        )
    )


@feature.action("link", "parts", RECORD, MASK)
async def choose_parts(ctx: Context, code_id: int, mask: int) -> None:
    """The profile part by part; each press moves one part to the other side."""
    made, maker = await entered_by_actor(ctx, code_id)
    other = await usable(ctx, made, maker, own_identity(ctx))
    there, here = platform_name(maker.platform), platform_name(ctx.platform)
    blocks: list[Section | Actions] = [
        Section(
            (
                _(
                    "For each part, press the profile it comes from. Everything else of both accounts "
                    "is joined either way."
                ),
            )
        )
    ]
    for part in fields.differing(other, ctx.person):
        from_here = fields.takes(mask, part)
        blocks.append(Section(rich(Strong(fields.title(part)))))
        blocks.append(
            Actions(
                (
                    side(there, fields.shown(part, other), not from_here, made, mask & ~(1 << part)),
                    side(here, fields.shown(part, ctx.person), from_here, made, mask | 1 << part),
                )
            )
        )
    blocks.append(
        Actions(
            (
                Button(_("Link with these"), action_id("link", "merge", made.id, mask), "primary"),
                Button(_("Don't link"), action_id("link", "cancel", made.id)),
            )
        )
    )
    ctx.send(Message(tuple(blocks)), Update())


def side(platform: str, value: str, chosen: bool, made: LinkCode, mask: int) -> Button:
    label = _("{platform}: {value}").format(platform=platform, value=value)
    if chosen:
        return Button(f"\u2713 {label}", action_id("link", "parts", made.id, mask), "primary")
    return Button(label, action_id("link", "parts", made.id, mask))


@feature.action("link", "merge", RECORD, MASK)
async def merge_parts(ctx: Context, code_id: int, mask: int) -> None:
    made, maker = await entered_by_actor(ctx, code_id)
    other = await usable(ctx, made, maker, own_identity(ctx))
    # The code maker's person is kept, with the parts chosen from this account's profile.
    await fields.take_parts(ctx.uow, other, ctx.person, mask)
    await finish(ctx, made, other, ctx.person)


@feature.action("link", "keep", RECORD, RECORD)
async def keep(ctx: Context, code_id: int, person_id: int) -> None:
    made, maker = await entered_by_actor(ctx, code_id)
    other = await usable(ctx, made, maker, own_identity(ctx))
    if person_id not in (other.id, ctx.person.id):
        raise stale_button()
    kept, dropped = (other, ctx.person) if person_id == other.id else (ctx.person, other)
    await finish(ctx, made, kept, dropped)


@feature.action("link", "cancel", RECORD)
async def cancel(ctx: Context, code_id: int) -> None:
    made, _maker = await entered_by_actor(ctx, code_id)
    await ctx.uow.link_codes.spend(made.id, ctx.now())
    ctx.send(Message.of(_("Nothing was linked: your accounts stay apart.")), Update())


async def entered_by_actor(ctx: Context, code_id: int) -> tuple[LinkCode, Identity]:
    """The code behind a profile choice, which only the account that entered it may make."""
    found = await ctx.uow.link_codes.get(code_id)
    if found is None or found[0].entered_by != own_identity(ctx).id:
        raise stale_button()
    return found


async def usable(ctx: Context, made: LinkCode, maker: Identity, identity: Identity) -> Person:
    """The person who made the code, when the actor may link with them; else why not."""
    retry = _("/alumni link on your {platform} account").format(platform=platform_name(maker.platform))
    if made.used_at is not None:
        raise UserError(_("That code was already used. Make a new one with:"), retry)
    if made.expires_at <= ctx.now():
        raise UserError(_("That code has expired (codes last 15 minutes). Make a new one with:"), retry)
    if maker.platform == identity.platform:
        raise UserError(
            _("This code was made on {platform}: type it on your account on another platform.").format(
                platform=platform_name(maker.platform)
            ),
            ENTER_EXAMPLE,
        )
    if maker.person_id == ctx.person.id:
        raise UserError(_("These accounts are already linked."), f"/alumni unlink {maker.platform}")
    other = await ctx.uow.people.get(maker.person_id)
    assert other is not None  # the identity's person (a forgotten person's codes are gone with them)
    here, there = platform_name(identity.platform), platform_name(maker.platform)
    if any(i.platform == maker.platform for i in ctx.person.identities):
        raise UserError(
            _("Your {here} account is already linked to a {there} account. To link another, first:").format(
                here=here, there=there
            ),
            f"/alumni unlink {maker.platform}",
        )
    if any(i.platform == identity.platform for i in other.identities):
        raise UserError(
            _(
                "The {there} account that made this code is already linked to a {here} account. "
                "On {there}, first:"
            ).format(here=here, there=there),
            f"/alumni unlink {identity.platform}",
        )
    return other


async def finish(ctx: Context, made: LinkCode, kept: Person, dropped: Person) -> None:
    """Spend the code and join the two; both accounts hear it."""
    if not await ctx.uow.link_codes.spend(made.id, ctx.now()):
        raise UserError(_("That code was already used. Make a new one with:"), "/alumni link")
    actor = ctx.actor.member
    accounts = [
        MemberRef(i.platform, i.workspace, i.user_id) for i in [*kept.identities, *dropped.identities]
    ]
    others = [ref for ref in accounts if ref != actor]
    news = _(
        "Linked: your {first} and {second} accounts are one member now, {name}. Your introductions, "
        "matches, reminders and votes are together. To undo it: /alumni unlink {platform}"
    ).format(
        first=platform_name(others[0].platform),
        second=platform_name(actor.platform),
        name=kept.display_name,
        platform=actor.platform,
    )
    ctx.queued.extend(await join_people(ctx.uow, ctx.settings.secrets.poll_secret, kept, dropped, ctx.now()))
    for ref in others:
        ctx.send(Message.of(news), Direct(ref))
    if isinstance(ctx.event, Command):
        ctx.reply(news)
    else:
        ctx.send(Message.of(news), Update())


@feature.command(
    "unlink",
    summary=N_("Split an account off your linked accounts; it starts with a blank profile"),
    usage="unlink <slack|discord>",
    examples=("/alumni unlink discord",),
    params=(
        Param(
            "platform",
            N_("The platform whose account to split off"),
            kind="choice",
            choices=("slack", "discord"),
            choice_labels=("Slack", "Discord"),
        ),
    ),
)
async def unlink(ctx: Context, args: str) -> None:
    platform = args.strip().lower()
    if platform not in PLATFORM_NAMES:
        raise UserError(
            _("I can unlink a Slack or a Discord account, not \u201c{platform}\u201d.").format(
                platform=args.strip()
            ),
            "/alumni unlink discord",
        )
    split = [i for i in ctx.person.identities if i.platform == platform]
    staying = [i for i in ctx.person.identities if i.platform != platform]
    if not split or not staying:
        raise UserError(
            _("Your account isn't linked to a {platform} account.").format(platform=platform_name(platform)),
            "/alumni link",
        )
    now = ctx.now()
    names = [card_name(ctx.person.id, i.platform, i.workspace) for i in split]
    ctx.queued.extend(await take_down(ctx.uow, names))
    news = _(
        "Unlinked: your {platform} account is a member of its own now, with a blank profile "
        "(/alumni intro there fills it in). Your profile stays on {others}."
    ).format(
        platform=platform_name(platform),
        others=join_list(sorted({platform_name(i.platform) for i in staying})),
    )
    refs = [MemberRef(i.platform, i.workspace, i.user_id) for i in [*split, *staying]]
    if ctx.person.reach_platform == platform:  # the member is no longer there
        ctx.person.reach_platform = ""
    for identity_id, name in [(i.id, i.display_name) for i in split]:
        await merging.split_off(ctx.uow.session, identity_id, name, now)
    for ref in refs:
        if ref != ctx.actor.member:
            ctx.send(Message.of(news), Direct(ref))
    ctx.reply(news)


@feature.command(
    "links",
    summary=N_("See which members linked their accounts on several platforms"),
    usage="links",
    examples=("/alumni links",),
    facilitator_only=True,
)
async def links(ctx: Context, args: str) -> None:
    no_arguments(args, "/alumni links")
    linked = await linked_people(ctx.uow.session)
    if not linked:
        ctx.reply(_("No member has linked accounts yet."))
        return
    shown_now = linked[:MAX_LISTED]
    accounts = await accounts_of(ctx.uow.session, [person_id for person_id, _name in shown_now])
    lines = [
        f"{name}: "
        + "; ".join(where(platform, shown_as) for platform, shown_as in accounts.get(person_id, []))
        for person_id, name in shown_now
    ]
    more = len(linked) - len(shown_now)
    if more > 0:
        lines.append(ngettext("And {count} more.", "And {count} more.", more).format(count=more))
    title = ngettext(
        "{count} member has linked accounts", "{count} members have linked accounts", len(linked)
    ).format(count=len(linked))
    ctx.reply(Message((Section(rich(Strong(title))), Section(("\n".join(lines),)))))


def own_identity(ctx: Context) -> Identity:
    """The account the member is using now."""
    member = ctx.actor.member
    return next(
        i
        for i in ctx.person.identities
        if (i.platform, i.workspace, i.user_id) == (member.platform, member.workspace, member.user_id)
    )


def platform_name(platform: str) -> str:
    return PLATFORM_NAMES.get(platform, platform)
