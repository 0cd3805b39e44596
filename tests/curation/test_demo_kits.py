"""The demo community's starter kits (what `make run` offers a newcomer)."""

import pytest

from confab.accounts import actions as account_actions
from confab.curation import actions, demo
from confab.curation.models import KitChat, KitList, KitPerson, StarterKit
from confab.posts import actions as post_actions

pytestmark = pytest.mark.django_db


def test_the_demo_kits_are_filled_and_two_are_featured(make_account, make_chat):
    people = [make_account(name) for name in ("ada", "marcus_edtech", "leticia_reads", "niamh_ld")]
    admin = make_account("admin")
    account_actions.make_admin(admin)
    teacher = make_account("teacher")
    actions.set_interests(teacher, ["STEM"])
    post_actions.post(teacher, "Lab day #STEM")
    for tag in ("SciTeachChat", "EduMatch", "LibChat", "LDchat"):
        make_chat(people[0], tag)
    assert demo.create_kits([*people, admin, teacher]) == 3
    assert demo.featured_count() == 2
    science = StarterKit.objects.get(title="Science teachers: start here")
    assert set(
        KitPerson.objects.filter(kit=science).values_list("account__username", flat=True)
    ) == {
        "ada",
        "marcus_edtech",
        "teacher",
    }
    assert KitChat.objects.filter(kit=science).count() == 2
    assert KitList.objects.filter(kit=science, list__visibility="public").count() == 1
