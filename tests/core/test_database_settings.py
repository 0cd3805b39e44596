"""CONFAB_DATABASE_URL into Django's DATABASES (confab/config/env.py)."""

import pytest
from django.db import connection

from confab.config.env import ConfigError, database_from_url


def test_a_url_gives_a_pooled_connection_that_prepares_repeated_statements():
    entry = database_from_url("postgresql://ann:s%40cret@db.example:5433/confab")
    assert entry["NAME"] == "confab"
    assert (entry["USER"], entry["PASSWORD"]) == ("ann", "s@cret")
    assert (entry["HOST"], entry["PORT"]) == ("db.example", "5433")
    assert entry["OPTIONS"]["pool"]["max_size"] == 20
    assert entry["OPTIONS"]["server_side_binding"] is True
    assert entry["OPTIONS"]["prepare_threshold"] == 5
    assert entry["OPTIONS"]["options"] == "-c plan_cache_mode=force_generic_plan"


@pytest.mark.django_db
def test_prepared_statements_keep_one_plan_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    if "prepare_threshold" not in connection.settings_dict["OPTIONS"]:
        pytest.skip("statements are not prepared here (CONFAB_DATABASE_PREPARE=false)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"


def test_pooling_and_preparing_can_be_turned_off():
    entry = database_from_url("postgresql://localhost/confab", pool=False, prepare=False)
    assert "pool" not in entry["OPTIONS"]
    assert "server_side_binding" not in entry["OPTIONS"]
    assert "prepare_threshold" not in entry["OPTIONS"]
    assert "options" not in entry["OPTIONS"]


def test_options_in_the_url_are_passed_on():
    entry = database_from_url("postgresql://localhost/confab?sslmode=require&host=/run/pg")
    assert entry["OPTIONS"]["sslmode"] == "require"
    assert entry["HOST"] == "/run/pg"


@pytest.mark.parametrize("url", ["mysql://localhost/confab", "postgresql://localhost/"])
def test_a_url_that_is_not_a_postgresql_database_is_refused(url):
    with pytest.raises(ConfigError):
        database_from_url(url)
