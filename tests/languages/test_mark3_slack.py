"""Slack speaks the member's locale (users.info's `locale`) through bolt and the fake Web API:
bad input, and the form errors the adapter sends by itself after a slow submission."""

from __future__ import annotations

import pytest

from adapters.slack import app as slack_app
from tests.slack.conftest import bolt, fake, session, settings, slack, slack_bot  # noqa: F401
from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import SlackDriver


async def test_a_member_whose_slack_speaks_spanish_is_answered_in_spanish(
    slack: SlackDriver,  # noqa: F811
    fake: FakeSlack,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake.add_user("UESTE", "Estela Ruiz", locale="es-419")
    await slack.command("UESTE", "find")
    assert "Dime qué buscar.\nPrueba: /alumni find datos abiertos" in slack.last_for("UESTE").words

    monkeypatch.setattr(slack_app, "FORM_ANSWER_SECONDS", 0)  # errors come privately, from the adapter
    await slack.command("UESTE", "", command="/intro")
    assert slack.last_view()["title"]["text"] == "Sobre ti"
    assert slack.last_view()["close"]["text"] == "Cancelar"
    await slack.submit("UESTE", organisation="GBIF", country="Narnia", timezone="Africa/Nairobi")
    told = slack.last_for("UESTE").words
    assert "Tu formulario no se guardó:" in told and "*País*" in told
    assert "No conozco el país «Narnia»." in told

    await slack.command("UANA", "", command="/intro")  # Ana's Slack speaks English
    await slack.submit("UANA", organisation="GBIF", country="Narnia", timezone="Africa/Nairobi")
    assert "Your form was not saved:" in slack.last_for("UANA").words
