"""Folding keeps every script: case and accents go, letters stay."""

from __future__ import annotations

import pytest

from bot.text import fold, split_list, words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Москва", "москва"),
        ("Łódź", "lodz"),
        ("Øresund", "oresund"),
        ("Straße", "strasse"),
        ("Open-Data", "opendata"),
        ("São Paulo", "saopaulo"),
        ("البَيانات", "البيانات"),  # optional Arabic vowel marks go
        ("डेटा", "डेटा"),  # Devanagari vowel signs stay
        ("地图", "地图"),
        ("ＡＢＣ ﬁle", "abcfile"),  # compatibility forms
        ("٣", "3"),
        ("🎉 !!", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_words_split_on_anything_but_letters_and_digits() -> None:
    assert words("Open-Data, Łódź!") == ["open", "data", "lodz"]


def test_topics_in_any_script_are_kept_as_typed_without_repeats() -> None:
    assert split_list("открытые данные, карты, 地图") == ["открытые данные", "карты", "地图"]
    assert split_list("地图、数据，地图") == ["地图", "数据"]
    assert split_list("البيانات، الخرائط") == ["البيانات", "الخرائط"]
    assert split_list("Open Data; open-data, 🎉") == ["Open Data", "🎉"]
