"""The foundation flows end to end through Discord payloads: what Discord received."""

from __future__ import annotations

import json

from tests.discord.driver import ANA, BO, CY, DiscordDriver
from tests.discord.fake_discord import CHANNELS, InteractionLog

EPHEMERAL = 64
CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL = 4, 6, 7, 9


def reply(log: InteractionLog) -> dict:
    assert log.callback is not None
    return log.callback["data"]


def everything(message: dict) -> str:
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts.append(embed.get("description") or "")
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(parts)


async def set_up_profile(
    discord: DiscordDriver, user: int, name: str, expertise: str, add_topics: str = "Add my topics"
) -> InteractionLog:
    opened = await discord.slash(user, "intro")
    assert opened.callback["type"] == MODAL
    saved = await discord.submit(
        user, opened, name=name, organisation=f"{name} Org", country="Kenya", timezone="Nairobi"
    )
    topics = await discord.press(user, discord.fake.messages[saved.payload["_original"]], add_topics)
    return await discord.submit(user, topics, expertise=expertise)


async def test_profile_via_modal_posts_the_card_then_edits_it_in_place(discord: DiscordDriver) -> None:
    fake = discord.fake
    opened = await discord.slash(ANA, "alumni intro")
    modal = reply(opened)
    assert opened.callback["type"] == MODAL and modal["custom_id"] == "profile:about"
    inputs = [c for row in modal["components"] for c in row["components"]]
    assert [i["custom_id"] for i in inputs] == ["name", "organisation", "role", "country", "timezone"]
    assert len(inputs) <= 5 and all(len(i["label"]) <= 45 for i in inputs)
    assert inputs[0]["value"] == "Ana Lima"  # the display name, prefilled

    saved = await discord.submit(ANA, opened, organisation="GBIF", country="Kenya", timezone="Nairobi")
    assert saved.callback["type"] == CHANNEL_MESSAGE and reply(saved)["flags"] == EPHEMERAL
    assert "posted in #introductions" in everything(reply(saved))
    card = fake.sent("POST", rf"/channels/{CHANNELS['introductions']}/messages")
    assert len(card) == 1  # at the first form: a modal cannot open a modal, so the topics wait for a button
    assert "Please welcome Ana Lima!" in card[0].body["embeds"][0]["description"]
    assert "/alumni intro" in card[0].body["embeds"][0]["footer"]["text"]  # how to add topics
    topics = await discord.press(ANA, fake.messages[saved.payload["_original"]], "Add my topics")
    assert topics.callback["type"] == MODAL
    posted = await discord.submit(ANA, topics, expertise="open data, maps", bio="I map *things*")
    [edit] = fake.sent("PATCH", rf"/channels/{CHANNELS['introductions']}/messages/\d+")
    embed = edit.body["embeds"][0]
    assert {"name": "Can help with", "value": "open data, maps", "inline": True} in embed["fields"]
    assert "I map \\*things\\*" in embed["description"]  # member text never turns into markdown
    assert "No topics yet" not in json.dumps(edit.body)
    assert "updated in #introductions" in everything(reply(posted))

    again = await discord.slash(ANA, "alumni intro")
    await discord.submit(ANA, again, organisation="OpenStreetMap")
    edits = fake.sent("PATCH", rf"/channels/{CHANNELS['introductions']}/messages/\d+")
    assert len(edits) == 2 and "OpenStreetMap" in json.dumps(edits[1].body["embeds"])
    assert len(fake.sent("POST", rf"/channels/{CHANNELS['introductions']}/messages")) == 1


async def test_invalid_form_is_answered_privately_and_reopens_with_the_entries(
    discord: DiscordDriver,
) -> None:
    opened = await discord.slash(ANA, "alumni intro")
    refused = await discord.submit(ANA, opened, organisation="GBIF", country="Atlantis", timezone="Mars/Base")
    answer = reply(refused)
    assert refused.callback["type"] == CHANNEL_MESSAGE and answer["flags"] == EPHEMERAL
    assert "Country: " in answer["content"] and "Time zone: " in answer["content"]
    retry = await discord.press(ANA, discord.fake.messages[refused.payload["_original"]], "Fix my answers")
    assert retry.callback["type"] == MODAL
    values = {c["custom_id"]: c.get("value") for row in reply(retry)["components"] for c in row["components"]}
    assert values["country"] == "Atlantis" and values["organisation"] == "GBIF"


async def test_find_pages_by_editing_the_pressed_message(discord: DiscordDriver) -> None:
    for number, name in enumerate(["Ana Lima", "Bo Chen", "Cy Diallo"]):
        await set_up_profile(discord, (ANA, BO, CY)[number], name, "open data")
    for extra in range(3):
        user = 6000 + extra
        discord.fake.add_member(user, f"Extra {extra}")
        await set_up_profile(discord, user, f"Extra {extra}", "open data")
    found = await discord.slash(BO, "alumni find", words="open data")
    first = reply(found)
    assert found.callback["type"] == CHANNEL_MESSAGE and first["flags"] == EPHEMERAL
    assert "6 people" in first["content"] and "(page 1 of 2)" in first["content"]
    assert len(first["embeds"]) == 5
    assert [c["custom_id"] for c in first["components"][0]["components"]] == ["find:page:1:open data"]
    message = discord.fake.messages[found.payload["_original"]]
    page_two = await discord.press(BO, message, "Next")
    assert page_two.callback["type"] == UPDATE_MESSAGE
    assert "(page 2 of 2)" in reply(page_two)["content"] and len(reply(page_two)["embeds"]) == 1


async def test_introduction_accepted_opens_a_private_thread_with_both(discord: DiscordDriver) -> None:
    fake = discord.fake
    await set_up_profile(discord, ANA, "Ana Lima", "fundraising")
    await set_up_profile(discord, BO, "Bo Chen", "data licensing")
    asked = await discord.slash(ANA, "alumni introduce", subject="data licensing", note="For our API")
    choices = fake.messages[asked.payload["_original"]]
    chosen = await discord.press(ANA, choices, "Ask Bo Chen")
    assert chosen.callback["type"] == UPDATE_MESSAGE
    dm = fake.sent("POST", rf"/channels/{10_000 + BO}/messages")[-1].body
    assert "data licensing" in everything(dm) and "For our API" in everything(dm)
    accepted = await discord.press(BO, fake.messages[_last_dm(fake, BO)], "Accept")
    assert accepted.callback["type"] == UPDATE_MESSAGE and "Thank you" in reply(accepted)["content"]
    thread_request = fake.sent("POST", rf"/channels/{CHANNELS['matches']}/threads")[0].body
    assert thread_request["type"] == 12 and thread_request["invitable"] is False
    thread_id = next(iter(fake.threads))
    assert sorted(fake.thread_members[thread_id]) == [str(ANA), str(BO)]
    meet = fake.sent("POST", rf"/channels/{thread_id}/messages")[0].body
    assert "Ana Lima, meet Bo Chen" in meet["content"]


async def test_introduction_declined_tells_the_requester_kindly(discord: DiscordDriver) -> None:
    fake = discord.fake
    await set_up_profile(discord, ANA, "Ana Lima", "fundraising")
    await set_up_profile(discord, BO, "Bo Chen", "data licensing")
    asked = await discord.slash(ANA, "alumni introduce", subject="licensing")
    await discord.press(ANA, fake.messages[asked.payload["_original"]], "Ask Bo Chen")
    declined = await discord.press(BO, fake.messages[_last_dm(fake, BO)], "Not now")
    assert declined.callback["type"] == UPDATE_MESSAGE and "No problem" in reply(declined)["content"]
    told = fake.sent("POST", rf"/channels/{10_000 + ANA}/messages")[-1].body
    assert "Bo Chen can't take this on right now" in told["content"]
    assert not fake.threads


async def test_my_data_arrives_as_a_json_file_in_a_dm(discord: DiscordDriver) -> None:
    discord.locales[ANA] = "pt-BR"
    await set_up_profile(discord, ANA, "Ana Lima", "maps", add_topics="Adicionar meus temas")
    discord.locales[ANA] = "en-US"  # Discord sends the locale with every interaction: the latest is spoken
    answer = await discord.slash(ANA, "alumni my-data")
    assert reply(answer)["flags"] == EPHEMERAL and "direct message" in reply(answer)["content"]
    sent = discord.fake.sent("POST", rf"/channels/{10_000 + ANA}/messages")[-1]
    exported = json.loads(sent.files["alumni-bot-my-data.json"])
    assert exported["profile"]["name"] == "Ana Lima" and exported["profile"]["can_help_with"] == ["maps"]
    assert exported["profile"]["locale"] == "en-US"  # from the latest interaction


async def test_forget_me_deletes_the_card_and_confirms_in_place(discord: DiscordDriver) -> None:
    fake = discord.fake
    await set_up_profile(discord, ANA, "Ana Lima", "maps")
    card_id = next(
        m for m, body in fake.messages.items() if body["channel_id"] == str(CHANNELS["introductions"])
    )
    asked = await discord.slash(ANA, "alumni forget-me")
    buttons = reply(asked)["components"][0]["components"]
    assert [b["style"] for b in buttons] == [4, 2]  # danger, secondary
    done = await discord.press(ANA, fake.messages[asked.payload["_original"]], "Delete my data")
    assert done.callback["type"] == UPDATE_MESSAGE and "everything" in reply(done)["content"]
    assert reply(done)["components"] == []
    assert card_id in fake.deleted


async def test_bad_input_gets_a_private_message_with_an_example(discord: DiscordDriver) -> None:
    answer = await discord.slash(ANA, "alumni find", words="x" * 80)
    assert reply(answer)["flags"] == EPHEMERAL
    assert "Search words are limited to 60 characters" in reply(answer)["content"]
    assert "/alumni find open data" in reply(answer)["content"]
    stale = discord.fake.message_object(
        str(CHANNELS["general"]),
        {
            "components": [
                {"type": 1, "components": [{"type": 2, "style": 2, "label": "Old", "custom_id": "gone:verb"}]}
            ]
        },
        {},
    )
    pressed = await discord.press(ANA, stale, "Old")
    assert reply(pressed)["flags"] == EPHEMERAL and "no longer works" in reply(pressed)["content"]


def _last_dm(fake, user: int) -> str:
    return [m for m, body in fake.messages.items() if body["channel_id"] == str(10_000 + user)][-1]
