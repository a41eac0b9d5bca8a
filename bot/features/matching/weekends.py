"""Which days are a member's weekend, from their country (or their locale's): the Unicode CLDR
week data as Babel ships it, so Friday and Saturday in much of the Middle East, Friday alone in
Iran, Sunday alone in India, Saturday and Sunday where nothing else is known."""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError

SATURDAY, SUNDAY = 5, 6  # datetime.weekday() numbers, as Babel's week data uses them
DEFAULT = frozenset({SATURDAY, SUNDAY})  # CLDR's world default ("001")


def weekend_of(country: str, locale: str = "") -> frozenset[int]:
    """The weekend days (0 = Monday) where `country` (ISO 3166 alpha-2) is, else where `locale`
    ("ar_SA", "fa-IR") points."""
    territory = country.strip().upper() or territory_of(locale)
    return weekend_in(territory) if territory else DEFAULT


@functools.lru_cache(maxsize=512)
def weekend_in(territory: str) -> frozenset[int]:
    try:
        # "und_SA": the territory's likely locale, which carries the territory's week data.
        found = Locale.parse(f"und_{territory}")
    except (UnknownLocaleError, ValueError):
        return DEFAULT
    first, last = found.weekend_start, found.weekend_end
    return frozenset((first + n) % 7 for n in range((last - first) % 7 + 1))


def territory_of(locale: str) -> str:
    if not locale:
        return ""
    try:
        return Locale.parse(locale.replace("-", "_")).territory or ""
    except (UnknownLocaleError, ValueError):
        return ""
