"""Turn what a person typed into stored HTML, resolving @mentions to accounts here."""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from confab.accounts.models import Account
from confab.core import text as textlib


@dataclass(frozen=True)
class Formatted:
    html: str
    parsed: textlib.Parsed
    # Local accounts the text mentions, keyed by lower-cased username.
    accounts: dict[str, Account]


def format_text(text: str) -> Formatted:
    """Render `text` to clean HTML; mentions of local people link to their profiles."""
    parsed = textlib.parse(text)
    local_names = [m.username for m in parsed.mentions if m.domain is None]
    accounts: dict[str, Account] = {}
    if local_names:
        condition = Q()
        for name in local_names:
            condition |= Q(username__iexact=name)
        for account in Account.objects.filter(condition, domain=""):
            accounts[account.username.lower()] = account

    def mention_url(mention: textlib.Mention) -> str | None:
        if mention.domain is None and mention.username.lower() in accounts:
            return reverse("profile", args=[accounts[mention.username.lower()].username])
        return None

    def tag_url(name: str) -> str:
        return reverse("hashtag", args=[name])

    html = textlib.render(text, mention_url=mention_url, tag_url=tag_url)
    return Formatted(html=html, parsed=parsed, accounts=accounts)
