"""Members using the bot through the fake Discord: slash commands, presses, forms, joins.

Payloads are built the way Discord builds them; option types are read from the command
definitions the bot registered, so a wrong definition shows up as a failing test.
"""

from __future__ import annotations

import asyncio
from typing import Any

from adapters.discord import AlumniClient
from tests.discord.fake_discord import APP_ID, CHANNELS, GUILD_ID, FakeDiscord, InteractionLog, Json

ANA, BO, CY = 5001, 5002, 5003
APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5


class DiscordDriver:
    def __init__(self, fake: FakeDiscord, client: AlumniClient) -> None:
        self.fake = fake
        self.client = client
        # Each user's Discord client language (interaction.locale); en-US unless a test says.
        self.locales: dict[int, str] = {}

    async def slash(self, user: int, command: str, *, dm: bool = False, **options: Any) -> InteractionLog:
        """`/alumni find words:maps` is slash(ANA, "alumni find", words="maps")."""
        return await self._run(
            self.payload(APPLICATION_COMMAND, self.command_data(command, options), user, dm=dm)
        )

    async def autocomplete(self, user: int, command: str, focused: str, typed: str) -> InteractionLog:
        data = self.command_data(command, {focused: typed})
        options = data["options"][0].get("options", data["options"]) if " " in command else data["options"]
        for option in options:
            option["focused"] = option["name"] == focused
        return await self._run(self.payload(AUTOCOMPLETE, data, user))

    async def press(self, user: int, message: Json, label: str, value: str | None = None) -> InteractionLog:
        component = find_component(message, label)
        return await self.press_id(user, message, component["custom_id"], component["type"], value)

    async def press_id(
        self, user: int, message: Json, custom_id: str, kind: int = 2, value: str | None = None
    ) -> InteractionLog:
        """A press on `message` carrying any custom_id: what a forged click looks like."""
        data: Json = {"custom_id": custom_id, "component_type": kind}
        if value is not None:
            data["values"] = [value]
        dm = int(message["channel_id"]) - 10_000 in self.fake.users
        return await self._run(self.payload(COMPONENT, data, user, message=message, dm=dm))

    async def submit(self, user: int, opened: InteractionLog, **values: str) -> InteractionLog:
        """Submit the modal `opened` showed, with its prefilled values unless given here."""
        return await self._run(self.submit_payload(user, opened, **values))

    def submit_payload(self, user: int, opened: InteractionLog, **values: str) -> Json:
        assert opened.callback and opened.callback["type"] == 9, opened.callback
        shown = opened.callback["data"]
        inputs = [c for row in shown["components"] for c in row["components"]]
        rows = [
            {
                "type": 1,
                "components": [
                    {
                        "type": 4,
                        "custom_id": i["custom_id"],
                        "value": values.get(i["custom_id"], i.get("value", "")),
                    }
                ],
            }
            for i in inputs
        ]
        data = {"custom_id": shown["custom_id"], "components": rows}
        message = opened.payload.get("message")
        return self.payload(MODAL_SUBMIT, data, user, message=message)

    async def join(self, user: int, name: str) -> None:
        member = self.fake.add_member(user, name)
        await self.fake.dispatch("GUILD_MEMBER_ADD", member | {"guild_id": str(GUILD_ID)})

    # --- payloads -------------------------------------------------------------------

    def command_data(self, command: str, options: dict[str, Any]) -> Json:
        name, _, sub = command.partition(" ")
        definition = next(c for c in self.fake.commands[str(GUILD_ID)] if c["name"] == name)
        if sub:
            definition = next(o for o in definition["options"] if o["name"] == sub)
        typed = [
            {"name": o["name"], "type": o["type"], "value": str(options[o["name"]])}
            for o in definition.get("options", [])
            if o["name"] in options
        ]
        unknown = set(options) - {o["name"] for o in definition.get("options", [])}
        assert not unknown, f"/{command} has no option {unknown}"
        if sub:
            return {
                "id": "1",
                "name": name,
                "type": 1,
                "options": [{"name": sub, "type": 1, "options": typed}],
            }
        return {"id": "1", "name": name, "type": 1, "options": typed}

    def payload(
        self, kind: int, data: Json, user: int, *, message: Json | None = None, dm: bool = False
    ) -> Json:
        interaction_id = self.fake.snowflake()
        payload: Json = {
            "id": interaction_id,
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "token": f"token-{interaction_id}",
            "version": 1,
            "locale": self.locales.get(user, "en-US"),
            "app_permissions": "0",
            "entitlements": [],
            "attachment_size_limit": 10_000_000,
        }
        channel_id = (
            message["channel_id"] if message else (str(10_000 + user) if dm else str(CHANNELS["general"]))
        )
        if dm:
            payload |= {
                "user": self.fake.users[user],
                "channel_id": channel_id,
                "channel": {"id": channel_id, "type": 1, "recipients": [self.fake.users[user]]},
                "context": 1,
            }
        else:
            payload |= {
                "guild_id": str(GUILD_ID),
                "guild_locale": "en-US",
                "member": self.fake.member_object(user) | {"permissions": "0"},
                "channel_id": channel_id,
                "channel": self.fake.channel_object(channel_id),
                "context": 0,
            }
        if message:
            payload["message"] = message
        return payload

    async def _run(self, payload: Json) -> InteractionLog:
        log = await self.fake.interact(payload)
        await asyncio.wait_for(log.answered.wait(), 5)
        await self.settle()
        return log

    async def settle(self) -> None:
        """Wait for the interaction's work and for what it wrote to the outbox to go out."""
        await self.client.idle()
        sender = self.client.runtime.sender
        if sender is not None:
            await asyncio.wait_for(sender.settle(), 10)


def find_component(message: Json, label: str) -> Json:
    for row in message.get("components") or []:
        for component in row["components"]:
            if component.get("label", "").startswith(label) or component.get("placeholder") == label:
                return component
    raise AssertionError(f"no component {label!r} in {message.get('components')}")
