"""A poll through bolt and the fake Slack: the channel reads it in the channel's language (English
here), a voter whose Slack speaks Spanish hears about their own vote in Spanish."""

from __future__ import annotations

from tests.slack.conftest import bolt, fake, session, settings, slack, slack_bot  # noqa: F401
from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import SlackDriver


async def test_a_spanish_voter_on_slack_reads_their_vote_in_spanish(
    slack: SlackDriver,  # noqa: F811
    fake: FakeSlack,  # noqa: F811
) -> None:
    fake.add_user("UESTE", "Estela Ruiz", locale="es-419")
    await slack.command("UCAROL", 'poll "Which topic next?" "Maps" "Portals"')
    [poll] = [m for m in fake.messages if m.channel == "CGENERAL" and m.only_for is None]
    assert "Choose one option." in poll.words and " · 0 voters" in poll.words
    await slack.press("UESTE", poll, "Maps")
    mine = slack.last_for("UESTE")
    assert mine.only_for == "UESTE"
    assert (
        "Tu voto ahora: “Maps”." in mine.words
        and "Puedes cambiarlo hasta que se cierre la encuesta." in mine.words
    )
    await slack.press("UESTE", poll, "Close poll")
    assert "Solo los facilitadores pueden cerrar encuestas." in slack.last_for("UESTE").words
