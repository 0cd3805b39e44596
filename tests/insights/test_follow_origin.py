"""Where a follow came from: the hidden field, else the page the follow button was on."""

import pytest
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.accounts.models import Follow

pytestmark = pytest.mark.django_db


def origin_of(source, target) -> str:
    return Follow.objects.get(source=source, target=target).origin


@pytest.mark.parametrize(
    ("data", "headers", "expected"),
    [
        ({"origin": "introduction"}, {}, "introduction"),
        ({"next": "/chats/edumatch/sessions/1/people"}, {}, "chat"),
        ({"next": "/lists/12"}, {}, "list"),
        ({}, {"HTTP_REFERER": "http://testserver/search?q=ann"}, "search"),
        ({}, {"HTTP_REFERER": "http://testserver/events/5"}, "event"),
        ({"next": "/introductions/3"}, {}, "introduction"),
        ({}, {"HTTP_REFERER": "http://testserver/@ann"}, ""),
        ({"next": "/chatsworth"}, {}, ""),
        ({"origin": "bogus"}, {}, ""),
    ],
)
def test_the_follow_button_records_where_it_was(ann, cat, client_for, data, headers, expected):
    response = client_for(cat).post(reverse("follow", args=["ann"]), data, **headers)
    assert response.status_code == 302
    assert origin_of(cat, ann) == expected


def test_an_accepted_request_keeps_its_origin(ann, cat, client_for):
    ann.locked = True
    ann.save()
    client_for(cat).post(reverse("follow", args=["ann"]), {"next": "/events/9"})
    assert not Follow.objects.filter(source=cat, target=ann).exists()
    request = ann.incoming_follow_requests.get()
    account_actions.accept_follow_request(ann, request.pk)
    assert origin_of(cat, ann) == "event"


def test_following_again_keeps_the_first_origin(ann, cat):
    account_actions.follow(cat, ann, origin="chat")
    account_actions.follow(cat, ann, origin="search")
    assert origin_of(cat, ann) == "chat"
