"""Slack: the locale users.info gives (es-ES) is spoken until the member chooses a language with
`/alumni language`, through bolt's signed requests and the fake Web API; `auto` follows Slack again."""

from __future__ import annotations

from tests.slack.conftest import bolt, fake, session, settings, slack, slack_bot  # noqa: F401
from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import SlackDriver


async def test_a_chosen_language_wins_over_the_slack_locale(
    slack: SlackDriver,  # noqa: F811
    fake: FakeSlack,  # noqa: F811
) -> None:
    fake.add_user("UESP", "Elena Sanz", locale="es-ES")
    await slack.command("UESP", "language")
    shown = slack.last_for("UESP")
    assert "Te hablo en Español, según tu Slack o Discord." in shown.words

    await slack.press("UESP", shown, "Français")
    assert "Désormais, je vous parlerai en Français." in slack.last_for("UESP").words
    await slack.command("UESP", "find")
    empty = slack.last_for("UESP").words
    assert "Dites-moi ce qu’il faut chercher.\nEssayez : /alumni find données ouvertes" in empty

    await slack.command("UESP", "language klingon")
    assert "Je ne parle pas « klingon »." in slack.last_for("UESP").words
    await slack.command("UESP", "language auto")
    told = slack.last_for("UESP").words
    assert "Volveré a seguir el idioma de tu Slack o Discord: por ahora, Español." in told


async def test_the_profile_forms_language_field_chooses_the_language(
    slack: SlackDriver,  # noqa: F811
    fake: FakeSlack,  # noqa: F811
) -> None:
    fake.add_user("UESP", "Elena Sanz", locale="es-ES")
    await slack.command("UESP", "", command="/intro")
    await slack.submit("UESP", organisation="GBIF", country="Kenia, Europa", timezone="Nairobi")
    await slack.press("UESP", slack.last_private("UESP"), "Agregar mis temas")
    topics = slack.last_view()
    [field] = [b for b in topics["blocks"] if b["block_id"] == "language"]
    assert field["label"]["text"] == "Idioma en que te hablo" and field["element"]["initial_value"] == "auto"

    await slack.submit("UESP", topics, expertise="datos", language="pt")
    told, news = [m.words for m in fake.messages if m.only_for == "UESP"][-2:]
    assert "A partir de agora, vou falar com você em Português (Brasil)." in told
    assert "Sua apresentação foi atualizada em #introductions." in news
    await slack.command("UESP", "profile")
    assert "Localização: Quênia, Europa" in slack.last_for("UESP").words
