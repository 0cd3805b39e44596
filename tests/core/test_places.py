"""The offline gazetteer: turning what people type into one city, or a clear question back."""

import time

import pytest

from confab.core import places
from confab.core.places import (
    AmbiguousCity,
    City,
    PlaceError,
    UnknownCity,
    distance_km,
    fold,
    get_city,
    resolve_city,
    search_cities,
)


def test_austin_texas_resolves_with_its_time_zone():
    for text in ("Austin, Texas, United States", "austin, texas", "Austin, TX", "AUSTIN,tx"):
        city = resolve_city(text)
        assert (city.name, city.admin1, city.country_code) == ("Austin", "Texas", "US")
        assert city.timezone == "America/Chicago"
        assert city.label == "Austin, Texas, United States"


def test_austin_alone_is_ambiguous_with_texas_first():
    # There is an Austin in Minnesota too; the biggest comes first in the question.
    with pytest.raises(AmbiguousCity) as caught:
        resolve_city("austin")

    assert [c.admin1 for c in caught.value.candidates] == ["Texas", "Minnesota"]


def test_springfield_is_ambiguous_and_lists_the_five_biggest():
    with pytest.raises(AmbiguousCity) as caught:
        resolve_city("springfield")

    error = caught.value
    assert isinstance(error, PlaceError) and isinstance(error, ValueError)
    assert len(error.candidates) == 5
    populations = [c.population for c in error.candidates]
    assert populations == sorted(populations, reverse=True)
    assert error.message.startswith("Several places are called Springfield: Springfield, ")
    assert error.message.endswith("Pick one.")
    assert "Springfield, Illinois, United States" in error.message
    assert str(error) == error.message


def test_a_qualified_springfield_is_not_ambiguous():
    assert resolve_city("Springfield, Illinois, United States").admin1 == "Illinois"
    assert resolve_city("springfield, IL").admin1 == "Illinois"
    assert resolve_city("Springfield, Massachusetts").timezone == "America/New_York"


def test_london_alone_is_ambiguous_but_its_labels_are_not():
    with pytest.raises(AmbiguousCity) as caught:
        resolve_city("London")

    countries = [c.country_code for c in caught.value.candidates]
    assert countries[:2] == ["GB", "CA"]
    assert resolve_city("London, United Kingdom").timezone == "Europe/London"
    assert resolve_city("London, GB").country == "United Kingdom"
    assert resolve_city("london, canada").timezone == "America/Toronto"


def test_non_us_labels_skip_the_region():
    assert resolve_city("Lyon").label == "Lyon, France"


def test_accents_are_folded_both_ways():
    zurich = resolve_city("Zurich")
    assert (zurich.name, zurich.country) == ("Zürich", "Switzerland")
    assert resolve_city("ZÜRICH, switzerland") == zurich
    assert search_cities("zur")[0] == zurich
    assert resolve_city("sao paulo").name == "São Paulo"


def test_well_known_other_names_of_large_cities_resolve():
    assert resolve_city("New York").name == "New York City"
    assert resolve_city("Munchen").name == "Munich"


def test_an_unknown_city_gets_a_helpful_message():
    with pytest.raises(UnknownCity) as caught:
        resolve_city("  Xyzzyville ")

    assert caught.value.message == (
        "We don't know a city called 'Xyzzyville'. Try the nearest large town."
    )
    with pytest.raises(UnknownCity):
        resolve_city("Austin, France")
    with pytest.raises(UnknownCity):
        resolve_city("   ")


def test_the_distance_from_austin_to_dallas_is_about_290_km():
    austin, dallas = resolve_city("Austin, TX"), resolve_city("Dallas, TX")

    assert distance_km(austin, dallas) == pytest.approx(290, abs=10)
    assert distance_km(dallas, austin) == pytest.approx(distance_km(austin, dallas))
    assert distance_km(austin, austin) == 0


def test_the_distance_across_the_world_stays_below_half_the_circumference():
    london, auckland = resolve_city("London, GB"), resolve_city("Auckland")

    assert distance_km(london, auckland) == pytest.approx(18_350, rel=0.01)


def test_get_city_finds_by_geonames_id():
    austin = resolve_city("Austin, TX")

    assert get_city(austin.id) == austin
    assert get_city(-1) is None


def test_search_is_a_prefix_match_most_populous_first():
    results = search_cities("springfield", limit=3)

    assert len(results) == 3
    assert all(c.name == "Springfield" for c in results)
    assert [c.population for c in results] == sorted((c.population for c in results), reverse=True)
    assert search_cities("Springfield, Ill") == [resolve_city("Springfield, IL")]
    assert search_cities("lond")[0].label == "London, United Kingdom"


def test_search_with_nothing_to_search_for_finds_nothing():
    assert search_cities("") == []
    assert search_cities("   ") == []
    assert search_cities("london", limit=0) == []
    assert search_cities("qqqqqq") == []


def test_every_label_is_unique_and_resolves_back_to_its_city():
    cities = list(places._gazetteer().by_id.values())
    assert len(cities) > 30_000

    labels = {fold(c.label) for c in cities}
    assert len(labels) == len(cities)
    for city in cities:
        assert resolve_city(city.label) is city


def test_cities_sharing_a_plain_label_are_told_apart_by_population():
    with pytest.raises(AmbiguousCity) as caught:
        resolve_city("San Pedro, Argentina")

    candidates = caught.value.candidates
    assert len(candidates) >= 2
    assert all(c.label.startswith("San Pedro, Argentina (pop. ") for c in candidates)
    assert resolve_city(candidates[0].label) == candidates[0]


def test_a_city_can_be_made_by_hand():
    city = City(
        id=1,
        name="Testville",
        admin1="",
        country_code="FR",
        country="France",
        latitude=0.0,
        longitude=0.0,
        population=0,
        timezone="Europe/Paris",
    )

    assert city.label == "Testville, France"


def test_search_is_fast_once_loaded():
    search_cities("warm up")
    queries = ["s", "a", "san", "lon", "new", "zur", "spring", "b", "m", "x"] * 10

    started = time.perf_counter()
    for query in queries:
        search_cities(query)
    per_query = (time.perf_counter() - started) / len(queries)

    assert per_query < 0.005
