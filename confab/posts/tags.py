from collections.abc import Iterable

from confab.core.text import normalize_hashtag
from confab.posts.models import Hashtag


def get_or_create_hashtags(displays: Iterable[str]) -> list[Hashtag]:
    """Return the Hashtag rows for these tags (as typed), creating missing ones, in order."""
    wanted: dict[str, str] = {}
    for display in displays:
        display = display.lstrip("#")
        wanted.setdefault(normalize_hashtag(display), display)
    if not wanted:
        return []
    existing = {tag.name: tag for tag in Hashtag.objects.filter(name__in=wanted)}
    missing = [Hashtag(name=n, display_name=d) for n, d in wanted.items() if n not in existing]
    if missing:
        Hashtag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Hashtag.objects.filter(name__in=wanted)}
    return [existing[name] for name in wanted]
