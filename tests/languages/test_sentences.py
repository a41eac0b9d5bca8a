"""A translated sentence keeps its times, mentions and bold where the translation puts them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.messages import Strong, Timestamp, filled


def test_parts_land_where_the_template_puts_them() -> None:
    moment = Timestamp(datetime(2026, 12, 1, 15, tzinfo=UTC))
    assert filled("Pospuesto hasta {until}: {text}", until=moment, text="informe") == (
        "Pospuesto hasta ",
        moment,
        ": informe",
    )
    assert filled("{name} {{ok}}", name=Strong("Ana")) == (Strong("Ana"), " {ok}")
