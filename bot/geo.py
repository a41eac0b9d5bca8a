"""Countries, world regions and time zones, from what members type."""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
from babel import Locale

from bot.errors import UserError
from bot.i18n import N_, _, current_locale, join_list
from bot.text import fold
from storage.models import Person

# UN geoscheme continents, with the Americas split the way the network reports them.
# The names are stored in English (person.region) and shown translated: _(region).
_REGION_MEMBERS = {
    N_("Africa"): "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR "
    "LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW IO TF",
    N_("Asia"): "AF AM AZ BH BD BT BN KH CN GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV MN MM NP "
    "KP OM PK PS PH QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE",
    N_("Europe"): "AX AL AD AT BY BE BA BG HR CY CZ DK EE FO FI FR DE GI GR GG VA HU IS IE IM IT JE XK "
    "LV LI LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB",
    N_("Latin America & Caribbean"): "AG AI AR AW BS BB BZ BO BQ BR BV VG KY CL CO CR CU CW DM DO EC SV "
    "FK GF GD GP GT GY HT HN JM MQ MX MS NI PA PY PE PR BL KN LC MF VC SX SR TT TC VI UY VE GS",
    N_("North America"): "US CA BM GL PM",
    N_("Oceania"): "AS AU CX CC CK FJ PF GU HM KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV UM VU WF",
}
REGION_OF = {code: region for region, codes in _REGION_MEMBERS.items() for code in codes.split()}
REGIONS = tuple(_REGION_MEMBERS)


@dataclass(frozen=True)
class Country:
    code: str
    name: str


def country_name(code: str) -> str:
    """The English name, as the search index and exports keep it."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return getattr(found, "common_name", found.name)


def country_shown(code: str) -> str:
    """The country's name in the language being spoken ("Kenia", "Quênia")."""
    locale = current_locale()
    if locale.language == "en":
        return country_name(code)
    return locale.territories.get(code) or country_name(code)


def country_from_english(name: str) -> str:
    """A country's English name (as the search index keeps it) in the language being spoken."""
    try:
        return country_shown(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return name


def lookup_country(text: str) -> Country:
    """A country from its name, in English or the language being spoken, or its ISO code
    ("Kenya", "ke", "Côte d'Ivoire", "Quênia")."""
    try:
        code: str | None = pycountry.countries.lookup(text.strip()).alpha_2
    except LookupError:
        code = _countries_named(str(current_locale())).get(fold(text))
    if code is None:
        raise UserError(
            _("I don't know the country \u201c{name}\u201d.").format(name=text.strip()),
            _("a name like Kenya or a code like KE"),
        )
    return Country(code, country_name(code))


def lookup_place(text: str) -> tuple[Country, str]:
    """A country, and a world region when one follows it after a comma ("Kenya, Europe") for a
    member whose region is not their country's usual one ("" otherwise)."""
    try:
        return lookup_country(text), ""
    except UserError:
        country, comma, region = text.rpartition(",")
        if not comma:
            raise
    return lookup_country(country), lookup_region(region)


def country_in_english(text: str) -> str | None:
    """The English name of the country `text` names in the language being spoken ("Quênia":
    "Kenya"); None when it names none."""
    code = _countries_named(str(current_locale())).get(fold(text))
    return country_name(code) if code else None


@functools.cache
def _countries_named(locale: str) -> dict[str, str]:
    """Country codes by their folded name in `locale` (Babel's names of territories)."""
    territories = Locale.parse(locale).territories
    return {fold(name): code for code, name in territories.items() if pycountry.countries.get(alpha_2=code)}


def lookup_region(text: str) -> str:
    """A region from its English name or its name in the language being spoken."""
    for region in REGIONS:
        if fold(text) in (fold(region), fold(_(region))):
            return region
    raise UserError(
        _("I don't know the region \u201c{name}\u201d.").format(name=text.strip()),
        _("one of: {regions}").format(regions=join_list([_(region) for region in REGIONS], "or")),
    )


@functools.cache
def _zones_by_key() -> dict[str, str]:
    """Every IANA zone under its own name and its city ("nairobi" -> Africa/Nairobi)."""
    index: dict[str, str] = {}
    for zone in sorted(zoneinfo.available_timezones()):
        index.setdefault(fold(zone.rsplit("/", 1)[-1]), zone)
    for zone in zoneinfo.available_timezones():
        index[fold(zone)] = zone
    return index


def resolve_timezone(text: str) -> str:
    """An IANA time zone from its name or its city ("Europe/Lisbon", "lisbon", "São Paulo")."""
    zone = _zones_by_key().get(fold(text))
    if zone is None:
        raise UserError(
            _("I don't know the time zone \u201c{name}\u201d.").format(name=text.strip()),
            _("a zone like Africa/Nairobi or America/Sao_Paulo, or a city like Nairobi"),
        )
    return zone


def zones_matching(text: str) -> list[str]:
    """IANA zones whose name or city contains `text`, for pickers that complete as you type."""
    key = fold(text)
    return sorted({zone for name, zone in _zones_by_key().items() if key in name})


def zone_of(person: Person) -> str:
    """The person's IANA zone, or UTC when the profile has none (or an outdated one)."""
    try:
        return ZoneInfo(person.timezone).key if person.timezone else "UTC"
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"


def zone_city(zone: str) -> str:
    """How people name a zone: its city ("Pacific/Auckland" -> "Auckland", "America/Argentina/
    Buenos_Aires" -> "Buenos Aires"); zones without one keep their name ("UTC")."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")
