"""A peer introduction across platforms: asked on Slack, accepted on Discord, then each member
introduced in their own platform's direct messages, with where to write to the other."""

from __future__ import annotations

from typing import Any

from tests.crossplatform.network import ANA, Network
from tests.discord.driver import BO
from tests.discord.test_flows import everything, reply, set_up_profile


def discord_dm(network: Network, user: int, words: str) -> dict[str, Any]:
    """The last message in `user`'s Discord direct messages that says `words`, to press on."""
    channel = str(10_000 + user)
    found = [
        m
        for m in network.discord.fake.messages.values()
        if m["channel_id"] == channel and words in everything(m)
    ]
    assert found, f"no direct message to {user} saying {words!r}"
    return found[-1]


async def test_asked_on_slack_accepted_on_discord_both_introduced_on_their_own(network: Network) -> None:
    slack, discord = network.slack, network.discord
    await slack.set_up_profile(ANA, "Ana Lima")
    await set_up_profile(discord, BO, "Bo Chen", "maps")

    await slack.command(ANA, "introduce maps we are starting a mapping programme")
    choices = slack.last_private(ANA)
    assert "Bo Chen" in choices.words and "not on this platform" not in choices.words
    await slack.press(ANA, choices, "Ask Bo Chen")
    assert "I've asked Bo Chen" in slack.last_private(ANA).words

    asked = discord_dm(network, BO, "would like an introduction")
    assert "Ana Lima" in everything(asked) and "maps" in everything(asked)
    accepted = await discord.press(BO, asked, "Accept")
    assert "each where I reach you" in everything(reply(accepted))

    [to_ana] = network.slack_dms(ANA, "meet Bo Chen")
    assert "Where to write to them: Bo Chen, on Discord as @Bo Chen" in to_ana
    assert "mapping programme" in to_ana
    [to_bo] = network.discord_dms(BO, "meet Bo Chen")
    assert "Where to write to them: Ana Lima, on Slack as @Ana Lima" in to_bo
    # No shared conversation was attempted on either platform.
    assert all("," not in call["users"] for call in slack.fake.called("conversations.open"))
    assert not discord.fake.threads


async def test_a_member_on_the_other_platform_is_found_by_name_and_a_decline_is_told_where_asked(
    network: Network,
) -> None:
    slack, discord = network.slack, network.discord
    await slack.set_up_profile(ANA, "Ana Lima")
    await set_up_profile(discord, BO, "Bo Chen", "maps")

    await slack.command(ANA, "introduce @Nobody")
    assert "I can't find a member called \u201c@Nobody\u201d" in slack.last_private(ANA).words
    await slack.command(ANA, "introduce @Bo")  # not on Slack: found among the Discord members
    await slack.press(ANA, slack.last_private(ANA), "Ask Bo Chen")
    declined = await discord.press(BO, discord_dm(network, BO, "would like an introduction"), "Not now")
    assert "I'll let them know kindly" in everything(reply(declined))
    [told] = network.slack_dms(ANA, "can't take this on right now")
    assert "Bo Chen" in told
    assert network.discord_dms(BO, "can't take this on right now") == []
