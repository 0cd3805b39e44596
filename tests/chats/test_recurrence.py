"""Schedules expanded in the host's zone, shown in others' zones, across clock changes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from confab.chats import recurrence
from confab.chats.recurrence import Pattern, Schedule

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def edumatch(rrule: str = "FREQ=WEEKLY;BYDAY=TU") -> Schedule:
    # Tuesday 5 January 2027, 8 pm in New York.
    return Schedule("America/New_York", datetime(2027, 1, 5, 20, 0), rrule, 60)


def test_it_builds_rules_from_friendly_choices():
    assert recurrence.build_rrule(Pattern.WEEKLY, 1) == "FREQ=WEEKLY;BYDAY=TU"
    assert recurrence.build_rrule(Pattern.BIWEEKLY, 1) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert recurrence.build_rrule(Pattern.MONTHLY, 1, 2) == "FREQ=MONTHLY;BYDAY=2TU"
    assert recurrence.build_rrule(Pattern.MONTHLY, 4, -1) == "FREQ=MONTHLY;BYDAY=-1FR"
    assert recurrence.build_rrule(Pattern.ONCE, 3) == ""
    with pytest.raises(ValidationError):
        recurrence.build_rrule(Pattern.MONTHLY, 1, 5)


def test_it_keeps_8pm_new_york_at_8pm_and_moves_london_across_the_gap_weeks():
    starts = edumatch().occurrences(utc(2027, 3, 1), limit=6)

    assert [s.astimezone(NEW_YORK).strftime("%a %H:%M") for s in starts] == ["Tue 20:00"] * 6
    # The US springs forward on 14 March 2027, the UK on 28 March: in between, 8 pm in New
    # York is midnight in London; before and after, 1 am.
    london = [s.astimezone(LONDON).strftime("%m-%d %H:%M") for s in starts]
    assert london == [
        "03-03 01:00",
        "03-10 01:00",
        "03-17 00:00",
        "03-24 00:00",
        "03-31 01:00",
        "04-07 01:00",
    ]
    assert starts[0] == utc(2027, 3, 3, 1, 0)
    assert starts[2] == utc(2027, 3, 17, 0, 0)


def test_it_expands_sydney_chats_across_australias_clock_change():
    # Sydney leaves summer time on Sunday 4 April 2027 (03:00 → 02:00).
    schedule = Schedule(
        "Australia/Sydney", datetime(2027, 3, 1, 19, 30), "FREQ=WEEKLY;BYDAY=TH", 30
    )
    starts = schedule.occurrences(utc(2027, 3, 25), limit=3)

    assert [s.astimezone(SYDNEY).strftime("%a %H:%M") for s in starts] == ["Thu 19:30"] * 3
    assert starts[0] == utc(2027, 3, 25, 8, 30)  # AEDT, +11
    assert starts[1] == utc(2027, 4, 1, 8, 30)
    assert starts[2] == utc(2027, 4, 8, 9, 30)  # AEST, +10


def test_it_shifts_a_start_in_the_spring_forward_gap_later_by_the_gap():
    # 02:30 on 14 March 2027 does not exist in New York; it becomes 03:30 EDT.
    schedule = Schedule("America/New_York", datetime(2027, 3, 7, 2, 30), "FREQ=WEEKLY;BYDAY=SU", 60)
    starts = schedule.occurrences(utc(2027, 3, 1), limit=3)

    local = [s.astimezone(NEW_YORK).strftime("%m-%d %H:%M") for s in starts]
    assert local == ["03-07 02:30", "03-14 03:30", "03-21 02:30"]


def test_it_takes_the_first_of_a_repeated_fall_back_time():
    # 01:30 on 7 November 2027 happens twice in New York; the chat is at the first (EDT).
    schedule = Schedule("America/New_York", datetime(2027, 11, 7, 1, 30), "", 60)
    (start,) = schedule.occurrences(utc(2027, 11, 1))

    assert start == utc(2027, 11, 7, 5, 30)
    assert start.astimezone(NEW_YORK).fold == 0


def test_it_expands_every_other_week_and_the_nth_and_last_weekday():
    biweekly = edumatch("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU").occurrences(utc(2027, 1, 1), limit=3)
    assert [s.astimezone(NEW_YORK).day for s in biweekly] == [5, 19, 2]

    second_tuesday = edumatch("FREQ=MONTHLY;BYDAY=2TU").occurrences(utc(2027, 1, 1), limit=3)
    assert [s.astimezone(NEW_YORK).date().isoformat() for s in second_tuesday] == [
        "2027-01-12",
        "2027-02-09",
        "2027-03-09",
    ]
    last_friday = edumatch("FREQ=MONTHLY;BYDAY=-1FR").occurrences(utc(2027, 1, 1), limit=2)
    assert [s.astimezone(NEW_YORK).date().isoformat() for s in last_friday] == [
        "2027-01-29",
        "2027-02-26",
    ]


def test_it_gives_a_one_off_chat_one_occurrence_and_none_after_it():
    once = Schedule("Europe/London", datetime(2027, 6, 1, 18, 0), "", 45)
    assert once.occurrences(utc(2027, 1, 1)) == [utc(2027, 6, 1, 17, 0)]
    assert once.occurrences(utc(2027, 6, 2)) == []


@pytest.mark.parametrize(
    ("rrule", "message"),
    [
        ("FREQ=YEARLY;BYMONTHDAY=31;BYMONTH=2", "never happens"),
        ("FREQ=DAILY;BYMONTHDAY=30;BYMONTH=2", "never happens"),
        ("FREQ=WEEKLY;COUNT=0", "never happens"),
        ("FREQ=WEEKLY;UNTIL=20200101", "never happens"),
        ("FREQ=HOURLY", "at most once a day"),
        ("FREQ=MINUTELY;INTERVAL=30", "at most once a day"),
        ("FREQ=SECONDLY", "at most once a day"),
        ("FREQ=DAILY;BYHOUR=8,20", "cannot use BYHOUR"),
        ("FREQ=WEEKLY;COUNT=x", "whole number"),
        ("FREQ=WEEKLY;BYDAY=XX", "not a rule we understand"),
        ("hello", "NAME=VALUE"),
        ("FREQ=WEEKLY\nDTSTART:20270101", "nothing else"),
    ],
)
def test_it_refuses_rules_that_never_happen_or_happen_more_than_daily(rrule, message):
    with pytest.raises(ValidationError) as caught:
        edumatch(rrule).validate()
    (error,) = caught.value.message_dict["rrule"]
    assert message in error


def test_it_refuses_unknown_zones_and_durations_out_of_range_together():
    schedule = Schedule("Mars/Olympus_Mons", datetime(2027, 1, 5, 20), "FREQ=WEEKLY", 300)
    with pytest.raises(ValidationError) as caught:
        schedule.validate()
    assert set(caught.value.message_dict) == {"time_zone", "duration"}
    assert "Mars/Olympus_Mons" in caught.value.message_dict["time_zone"][0]
    for minutes, ok in ((14, False), (15, True), (240, True), (241, False)):
        if ok:
            recurrence.validate_duration(minutes)
        else:
            with pytest.raises(ValidationError):
                recurrence.validate_duration(minutes)


def test_it_accepts_rare_but_possible_rules():
    leap_day = edumatch("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
    leap_day.validate()
    assert leap_day.occurrences(utc(2027, 1, 1), limit=1) == [utc(2028, 3, 1, 1, 0)]


def test_it_says_schedules_in_words():
    assert recurrence.describe(edumatch()) == "Tuesdays at 8:00 pm America/New York"
    assert (
        recurrence.describe(edumatch("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"))
        == "Every other Tuesday at 8:00 pm America/New York"
    )
    assert (
        recurrence.describe(edumatch("FREQ=MONTHLY;BYDAY=-1FR"))
        == "The last Friday of each month at 8:00 pm America/New York"
    )
    assert recurrence.describe(edumatch("")) == (
        "Once, on Tuesday 5 January 2027 at 8:00 pm America/New York"
    )


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(["America/New_York", "Europe/London", "Australia/Sydney"]),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    pattern=st.sampled_from([Pattern.WEEKLY, Pattern.BIWEEKLY, Pattern.MONTHLY]),
    nth=st.sampled_from([1, 2, 3, 4, -1]),
)
def test_occurrences_keep_the_hosts_wall_clock_time_except_in_a_gap(
    zone, weekday, hour, minute, pattern, nth
):
    tz = ZoneInfo(zone)
    schedule = Schedule(
        zone,
        datetime(2026, 12, 28, hour, minute),
        recurrence.build_rrule(pattern, weekday, nth),
        60,
    )
    schedule.validate()
    starts = schedule.occurrences(utc(2027, 1, 1), limit=30)

    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(s >= utc(2027, 1, 1) for s in starts)
    gap = 0
    for start in starts:
        local = start.astimezone(tz)
        assert local.weekday() == weekday
        if (local.hour, local.minute) != (hour, minute):
            # Only a time that does not exist that day moves, and only by the gap (1 hour).
            assert local.replace(tzinfo=None) - datetime.combine(
                local.date(), datetime.min.time()
            ).replace(hour=hour, minute=minute) == timedelta(hours=1)
            gap += 1
    # At most one spring-forward gap a year (30 monthly sessions span three springs).
    assert gap <= len({start.year for start in starts})
