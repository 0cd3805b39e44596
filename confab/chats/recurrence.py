"""When a chat happens: RFC 5545 recurrence rules expanded in the host's time zone.

A chat is "Tuesdays at 8 pm in New York", not "Wednesdays at 01:00 UTC": when New York
moves its clocks the chat moves with them. So a schedule is kept as the host's IANA zone,
the local date and time of the first session (naive), and an RRULE; occurrences are
expanded on local wall-clock times with dateutil and only then turned into UTC instants
with zoneinfo. That makes them right across daylight-saving changes, and shows the same
session at 01:00 in London most weeks and at 00:00 in the weeks when only one of the two
countries has changed its clocks.

Wall-clock times that do not exist or exist twice are resolved the way most calendar
apps do:

- a time in the spring-forward gap (02:30 on the night New York skips from 02:00 to
  03:00) does not exist; the session starts as much later as the gap is long (03:30);
- a time in the fall-back overlap (01:30 on the night 01:00–02:00 happens twice) means
  the first of the two (the one still on summer time).

Rules are limited to what a chat needs (a daily, weekly, monthly or yearly pattern with
BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, INTERVAL, COUNT, UNTIL, WKST) because the BYHOUR,
BYMINUTE and BYSECOND parts and sub-daily frequencies make a chat happen more than once a
day, and because rules that can never happen are cheap to recognise in this subset but
slow to find by expansion (dateutil would walk day by day to the year 9999).
"""

import calendar
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError

MIN_DURATION = 15
MAX_DURATION = 240
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}
ALLOWED_FREQS = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
ALLOWED_PARTS = {
    "FREQ",
    "INTERVAL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "COUNT",
    "UNTIL",
    "WKST",
}
# A possible rule in the allowed subset happens within this long of its start (Friday the
# 13th of February takes up to 11 years; 29 February up to 8).
SEARCH_YEARS = 30


class Pattern(StrEnum):
    """The schedules offered on the chat form; anything else can be typed as an RRULE."""

    ONCE = "once"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"  # the nth (1st–4th or last) weekday of the month


def build_rrule(pattern: str, weekday: int = 0, nth: int = 1) -> str:
    """Return the RRULE for a friendly choice; "" for a one-off chat.

    `weekday` is 0 for Monday … 6 for Sunday; `nth` is 1–4, or -1 for the last one of the
    month (used by the monthly pattern only).
    """
    if not 0 <= weekday <= 6:
        raise ValidationError({"weekday": ["Choose a day of the week."]})
    day = WEEKDAY_CODES[weekday]
    if pattern == Pattern.ONCE:
        return ""
    if pattern == Pattern.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={day}"
    if pattern == Pattern.BIWEEKLY:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    if pattern == Pattern.MONTHLY:
        if nth not in ORDINALS:
            raise ValidationError({"nth": ["Choose the 1st, 2nd, 3rd, 4th or last."]})
        return f"FREQ=MONTHLY;BYDAY={nth}{day}"
    raise ValidationError({"pattern": ["Choose how often the chat happens."]})


def get_zone(name: str) -> zoneinfo.ZoneInfo:
    """Return the IANA zone called `name`, or raise a ValidationError naming the field."""
    if not name or name not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": [f"“{name}” is not a time zone we know."]})
    return zoneinfo.ZoneInfo(name)


def validate_duration(minutes: int) -> None:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        raise ValidationError(
            {
                "duration": [
                    f"A chat lasts from {MIN_DURATION} to {MAX_DURATION} minutes (not {minutes})."
                ]
            }
        )


def to_utc(local: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """Return the UTC instant of the naive wall-clock time `local` in `zone`.

    A time in a spring-forward gap moves later by the gap's length; a time that happens
    twice at a fall-back means the first. (fold=0 does exactly that in zoneinfo: it reads
    the wall time with the offset in force before the transition.)
    """
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def to_local(instant: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """Return the naive wall-clock time in `zone` of an aware instant."""
    return instant.astimezone(zone).replace(tzinfo=None)


def _parts(text: str) -> dict[str, str]:
    body = text.strip().removeprefix("RRULE:")
    if "\n" in body or ":" in body:
        raise ValidationError(
            {"rrule": ["Give one recurrence rule such as FREQ=WEEKLY;BYDAY=TU, nothing else."]}
        )
    parts: dict[str, str] = {}
    for item in body.split(";"):
        name, sep, value = item.partition("=")
        if not sep or not value:
            raise ValidationError({"rrule": [f"“{item}” is not a NAME=VALUE part of a rule."]})
        parts[name.strip().upper()] = value.strip().upper()
    return parts


def _impossible(parts: dict[str, str]) -> bool:
    """Say whether BYMONTHDAY can never fall in the allowed months (31 February)."""
    if "BYMONTHDAY" not in parts:
        return False
    try:
        days = [int(d) for d in parts["BYMONTHDAY"].split(",")]
        months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m] or list(range(1, 13))
    except ValueError:
        return False  # dateutil reports the malformed value
    longest = max(calendar.monthrange(2028, m)[1] for m in months if 1 <= m <= 12)
    return all(d == 0 or abs(d) > longest for d in days)


def parse_rule(text: str, first_local: datetime) -> rrule:
    """Return the dateutil rule for `text` starting at the naive local `first_local`.

    Raise a ValidationError (on the field "rrule") for text that is not a rule, for rules
    that happen more than once a day, and for rules that never happen.
    """
    parts = _parts(text)
    freq = parts.get("FREQ")
    if freq not in ALLOWED_FREQS:
        raise ValidationError(
            {
                "rrule": [
                    "A chat happens at most once a day: use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."
                ]
            }
        )
    unknown = sorted(set(parts) - ALLOWED_PARTS)
    if unknown:
        raise ValidationError(
            {
                "rrule": [
                    f"A chat's rule cannot use {', '.join(unknown)}: a chat starts at one "
                    "time of day, given by its start time."
                ]
            }
        )
    if "COUNT" in parts and not parts["COUNT"].isdigit():
        raise ValidationError({"rrule": ["COUNT must be a whole number of sessions."]})
    if parts.get("UNTIL", "").endswith("Z"):
        raise ValidationError(
            {"rrule": ["Give UNTIL in the chat's own time, without a Z: UNTIL=20271231T235959."]}
        )
    if parts.get("COUNT") == "0" or _impossible(parts):
        raise ValidationError({"rrule": ["That rule never happens."]})
    try:
        rule = rrulestr(text.strip().removeprefix("RRULE:"), dtstart=first_local)
    except (ValueError, TypeError) as exc:
        raise ValidationError({"rrule": [f"That is not a rule we understand ({exc})."]}) from None
    if not isinstance(rule, rrule):
        raise ValidationError({"rrule": ["Give one recurrence rule."]})
    horizon = first_local + timedelta(days=366 * SEARCH_YEARS)
    first = rule.after(first_local, inc=True)
    if first is None or first > horizon:
        raise ValidationError({"rrule": ["That rule never happens."]})
    return rule


@dataclass(frozen=True)
class Schedule:
    """A chat's schedule: zone, first local start, rule ("" for a one-off), minutes."""

    time_zone: str
    first_local: datetime
    rrule: str
    duration: int

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def validate(self) -> None:
        """Raise one ValidationError with every field that is wrong."""
        errors: dict[str, list[str]] = {}
        for check in (
            lambda: get_zone(self.time_zone),
            lambda: validate_duration(self.duration),
            lambda: self.rrule and parse_rule(self.rrule, self.first_local),
        ):
            try:
                check()
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def local_starts(self) -> Iterator[datetime]:
        """Yield the naive local start times, first to last (forever for endless rules)."""
        if not self.rrule:
            yield self.first_local
            return
        yield from parse_rule(self.rrule, self.first_local)

    def occurrences(self, after: datetime, limit: int = 10, before: datetime | None = None):
        """Return up to `limit` UTC start instants at or after `after` (and before `before`)."""
        zone = self.zone
        # Skip ahead on local times, with a day's slack for the zone's offset.
        floor = to_local(after, zone) - timedelta(days=1)
        found: list[datetime] = []
        if self.rrule:
            local_iter: Iterator[datetime] = parse_rule(self.rrule, self.first_local).xafter(
                max(floor, self.first_local), inc=True
            )
        else:
            local_iter = iter([self.first_local])
        for local in local_iter:
            instant = to_utc(local, zone)
            if before is not None and instant >= before:
                break
            if instant >= after:
                found.append(instant)
                if len(found) >= limit:
                    break
        return found


def describe(schedule: Schedule) -> str:
    """Say the schedule in words: "Tuesdays at 8:00 pm America/New York"."""
    at = f"at {clock(schedule.first_local)} {zone_label(schedule.time_zone)}"
    parts = _parts(schedule.rrule) if schedule.rrule else {}
    byday = parts.get("BYDAY", "")
    day_code = byday.lstrip("+-0123456789")
    simple_day = day_code in WEEKDAY_CODES and "," not in byday
    day_name = WEEKDAY_NAMES[WEEKDAY_CODES.index(day_code)] if simple_day else ""
    extra = set(parts) - {"FREQ", "INTERVAL", "BYDAY", "WKST"}
    if not schedule.rrule:
        return f"Once, on {schedule.first_local:%A} {long_date(schedule.first_local)} {at}"
    if not extra and simple_day and parts.get("FREQ") == "WEEKLY" and byday == day_code:
        interval = parts.get("INTERVAL", "1")
        if interval == "1":
            return f"{day_name}s {at}"
        if interval == "2":
            return f"Every other {day_name} {at}"
    if not extra and simple_day and parts.get("FREQ") == "MONTHLY" and "INTERVAL" not in parts:
        prefix = byday[: -len(day_code)]
        try:
            nth = int(prefix)
        except ValueError:
            nth = 0
        if nth in ORDINALS:
            return f"The {ORDINALS[nth]} {day_name} of each month {at}"
    return f"Repeats by the rule {schedule.rrule}, starting {long_date(schedule.first_local)} {at}"


def clock(moment: datetime) -> str:
    """Return "8:00 pm" for 20:00, "12:00 am" for midnight."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"


def long_date(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def zone_label(name: str) -> str:
    """Return the zone's name as people read it: "America/New York"."""
    return name.replace("_", " ")
