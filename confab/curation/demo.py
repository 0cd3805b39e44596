"""Starter kits for the demo community (`confab demo`), from confab.core.demo_data.KITS.

Built through the actions, after the people and chats exist; the admin features the kits
marked so, so a newcomer signing up on a demo server is offered them during onboarding.
"""

from confab.accounts.models import Account
from confab.chats.models import Chat
from confab.core import demo_data as data
from confab.core.text import normalize_hashtag
from confab.curation import actions
from confab.curation.models import StarterKit


def create_kits(accounts: list[Account]) -> int:
    """Make the demo's starter kits and return how many were made."""
    by_name = {account.username: account for account in accounts}
    admin = next((a for a in accounts if a.user is not None and a.user.is_staff), None)
    if admin is None:
        admin = Account.objects.filter(user__is_staff=True).first()
    made = 0
    for spec in data.KITS:
        owner = by_name.get(spec.owner)
        if owner is None:
            continue
        kit = actions.create_kit(owner, spec.title, spec.description)
        people = [by_name[name] for name in spec.people if name in by_name]
        people += list(
            Account.objects.filter(interests__name=normalize_hashtag(spec.people_with))
            .exclude(username__in=[p.username for p in people])
            .filter(posts_count__gt=0)
            .order_by("-posts_count", "username")[: spec.extra_people]
        )
        for person in people:
            actions.add_kit_person(owner, kit, person)
        for tag in spec.hashtags:
            actions.add_kit_hashtag(owner, kit, tag)
        for chat in Chat.objects.filter(
            hashtag__name__in=[normalize_hashtag(name) for name in spec.chats]
        ):
            actions.add_kit_chat(owner, kit, chat)
        if spec.list_title:
            lst = actions.create_list(
                owner,
                actions.ListDetails(
                    title=spec.list_title, visibility=actions.List.Visibility.PUBLIC
                ),
            )
            for person in people:
                if person.pk != owner.pk:
                    actions.add_member(owner, lst, person)
            actions.add_kit_list(owner, kit, lst)
        if spec.featured and admin is not None:
            actions.set_kit_featured(admin, kit, True)
        made += 1
    return made


def featured_count() -> int:
    return StarterKit.objects.filter(featured=True).count()
