"""Direct conversations: grouping, inbox, reading, muting, blocks, and the pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.connections.conversations import actions, queries
from confab.connections.models import Conversation, ConversationParticipant
from confab.notifications.models import Notification
from confab.posts import actions as post_actions
from confab.posts.models import Post, Visibility

DIRECT = Visibility.DIRECT


def dm(author, text, **kwargs):
    return post_actions.post(author, text, visibility=DIRECT, **kwargs)


def conversation_of(post) -> int:
    return post.conversation_link.conversation_id


def test_a_reply_joins_its_parent_conversation(ann, bob):
    first = dm(ann, "@bob are you coming to #EduMatch?")
    answer = dm(bob, "@ann yes!", in_reply_to_id=first.id)
    assert conversation_of(answer) == conversation_of(first)
    assert Conversation.objects.count() == 1


def test_a_new_message_to_the_same_people_continues_their_conversation(ann, bob, cat):
    first = dm(ann, "@bob hello")
    again = dm(bob, "@ann another thing")  # not a reply, same two people
    group = dm(ann, "@bob @cat all three of us")
    assert conversation_of(again) == conversation_of(first)
    assert conversation_of(group) != conversation_of(first)


def test_a_public_post_or_a_note_to_oneself_is_no_conversation(ann, bob):
    post_actions.post(ann, "@bob public hello")
    dm(ann, "a note nobody else reads")
    assert Conversation.objects.count() == 0


def test_the_inbox_lists_newest_activity_first_with_unread_counts(ann, bob, cat):
    with_bob = dm(ann, "@bob first")
    dm(cat, "@ann from cat")
    dm(bob, "@ann reply one", in_reply_to_id=with_bob.id)
    dm(bob, "@ann reply two", in_reply_to_id=with_bob.id)
    page = queries.inbox(ann)
    rows = page.items
    assert [row.others[0].username for row in rows] == ["bob", "cat"]
    assert rows[0].unread == 2 and rows[0].last_post.text == "@ann reply two"
    assert rows[1].unread == 1
    assert queries.unread_total(ann) == 3
    # Writing in a conversation reads what came before; one's own messages are never unread.
    assert queries.unread_total(bob) == 0
    dm(ann, "@bob and one more", in_reply_to_id=with_bob.id)
    assert queries.unread_total(bob) == 1 and queries.unread_total(ann) == 1


def test_opening_a_conversation_marks_it_read(ann, bob, client_for):
    first = dm(bob, "@ann hi")
    assert queries.unread_total(ann) == 1
    response = client_for(ann).get(
        reverse("connections:conversation", args=[conversation_of(first)])
    )
    assert response.status_code == 200
    assert f"post-{first.id}".encode() in response.content
    assert queries.unread_total(ann) == 0


def test_muting_stops_unread_counts_and_notifications(ann, bob):
    first = dm(bob, "@ann hi")
    conversation = conversation_of(first)
    actions.mark_read(ann, conversation)
    actions.set_muted(ann, conversation, True)
    later = dm(bob, "@ann are you there?", in_reply_to_id=first.id)
    assert queries.unread_total(ann) == 0
    assert queries.inbox(ann).items[0].unread == 0
    assert not Notification.objects.filter(recipient=ann, post=later).exists()
    actions.set_muted(ann, conversation, False)
    assert queries.unread_total(ann) == 1
    # Unmuted, a new message notifies again.
    newest = dm(bob, "@ann hello?", in_reply_to_id=later.id)
    assert Notification.objects.filter(recipient=ann, post=newest).exists()


def test_nobody_can_message_someone_who_blocked_them_or_whom_they_blocked(ann, bob, cat):
    account_actions.block(cat, ann)
    with pytest.raises(ValidationError) as refused:
        dm(ann, "@bob @cat hello both")
    assert "@cat" in str(refused.value) and "can't message" in str(refused.value)
    assert not Post.objects.filter(text="@bob @cat hello both").exists()
    with pytest.raises(ValidationError):
        dm(cat, "@ann hi")  # the blocker cannot write either


def test_a_block_mid_conversation_stops_delivery(ann, bob):
    first = dm(ann, "@bob hi")
    dm(bob, "@ann hi back", in_reply_to_id=first.id)
    account_actions.block(bob, ann)
    with pytest.raises(ValidationError):
        dm(ann, "@bob still there?", in_reply_to_id=first.id)
    # What was said before no longer shows across the block.
    texts = [p.text for p in queries.conversation_posts(bob, conversation_of(first))]
    assert texts == ["@ann hi back"]
    assert queries.reply_addressees(bob, conversation_of(first)) == []


def test_the_composer_refuses_a_blocked_person_with_a_clear_message(ann, bob, client_for):
    account_actions.block(bob, ann)
    response = client_for(ann).post(reverse("connections:new_message"), {"text": "@bob hello"})
    assert response.status_code == 422
    assert b"You can&#x27;t message @bob" in response.content


def test_editing_a_message_to_mention_someone_adds_them(ann, bob, cat):
    first = dm(ann, "@bob hi")
    post_actions.edit(ann, first.id, "@bob @cat hi")
    assert ConversationParticipant.objects.filter(
        conversation_id=conversation_of(first), account=cat
    ).exists()
    assert queries.unread_total(cat) == 1


def test_deleting_messages_updates_then_removes_the_conversation(ann, bob):
    first = dm(ann, "@bob one")
    second = dm(bob, "@ann two", in_reply_to_id=first.id)
    conversation = conversation_of(first)
    post_actions.delete(bob, second.id)
    assert queries.inbox(ann).items[0].last_post.id == first.id
    assert queries.unread_total(ann) == 0
    post_actions.delete(ann, first.id)
    assert not Conversation.objects.filter(pk=conversation).exists()
    assert queries.inbox(ann).items == []


def test_replying_from_the_conversation_page(ann, bob, client_for):
    first = dm(bob, "@ann hi")
    conversation = conversation_of(first)
    client = client_for(ann)
    page = client.get(reverse("connections:conversation", args=[conversation]))
    assert page.context["form"].initial["text"] == "@bob "
    response = client.post(
        reverse("connections:conversation_reply", args=[conversation]),
        {"text": "@bob hello there", "in_reply_to_id": first.id},
    )
    assert response.status_code == 302
    reply = Post.objects.get(text="@bob hello there")
    assert reply.visibility == DIRECT and conversation_of(reply) == conversation
    empty = client.post(
        reverse("connections:conversation_reply", args=[conversation]),
        {"text": "", "in_reply_to_id": first.id},
    )
    assert empty.status_code == 422
    assert b"Write a message first." in empty.content


def test_the_message_button_addresses_the_composer(ann, bob, client_for):
    client = client_for(ann)
    profile = client.get(reverse("profile", args=["bob"]))
    assert reverse("connections:new_message").encode() + b"?to=bob" in profile.content
    page = client.get(reverse("connections:new_message") + "?to=bob")
    assert page.context["form"].initial["text"] == "@bob "
    sent = client.post(reverse("connections:new_message"), {"text": "@bob coffee?"})
    assert sent.status_code == 302
    new = Post.objects.get(text="@bob coffee?")
    assert sent["Location"].startswith(
        reverse("connections:conversation", args=[conversation_of(new)])
    )


def test_outsiders_get_404_on_the_conversation_and_its_actions(ann, bob, cat, client_for):
    first = dm(ann, "@bob private")
    conversation = conversation_of(first)
    client = client_for(cat)
    assert client.get(reverse("connections:conversation", args=[conversation])).status_code == 404
    for name in ("conversation_reply", "conversation_read", "conversation_mute"):
        url = reverse(f"connections:{name}", args=[conversation])
        assert client.post(url, {"text": "@ann hi"}).status_code == 404
    assert client.get(reverse("connections:conversation", args=[999])).status_code == 404


def test_signed_out_people_are_sent_to_log_in(ann, bob, client):
    first = dm(ann, "@bob private")
    for url in (
        reverse("connections:inbox"),
        reverse("connections:conversation", args=[conversation_of(first)]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_the_inbox_costs_a_fixed_number_of_queries(
    ann, make_account, client_for, django_assert_max_num_queries
):
    for n in range(12):
        person = make_account(f"friend{n}")
        first = dm(person, f"@ann hello {n}")
        dm(ann, f"@friend{n} hi back", in_reply_to_id=first.id)
    client = client_for(ann)
    # Session, user, page keys, rows with counts, last posts, people, notification badge…
    with django_assert_max_num_queries(10):
        response = client.get(reverse("connections:inbox"))
    assert response.status_code == 200
    assert response.content.count(b'class="conversation-row') == 12


def test_a_conversation_page_costs_a_fixed_number_of_queries(
    ann, bob, client_for, django_assert_max_num_queries
):
    first = dm(bob, "@ann 0")
    for n in range(1, 15):
        dm(bob if n % 2 else ann, f"@{'ann' if n % 2 else 'bob'} {n}", in_reply_to_id=first.id)
    client = client_for(ann)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("connections:conversation", args=[conversation_of(first)]))
    assert response.content.count(b'<article class="post') == 15


def test_a_live_message_is_held_back_from_a_reader_who_blocked_its_author(ann, bob):
    from confab.connections.conversations import live
    from confab.posts.visibility import Relations, load_relations, post_facts

    first = dm(ann, "@bob hi")
    data = {"conversation_id": "1", "id": str(first.id), "facts": post_facts(first), "total": 1}
    assert live.outgoing(load_relations(bob), data) == {
        "conversation_id": "1",
        "id": str(first.id),
        "total": 1,
    }
    blocked = Relations(viewer_id=bob.pk, blocking=frozenset({ann.pk}))
    assert live.outgoing(blocked, data) is None


def test_the_inbox_fragment_and_mark_read_serve_the_live_page(ann, bob, client_for):
    first = dm(bob, "@ann hi")
    client = client_for(ann)
    fragment = client.get(
        reverse("connections:inbox") + "?fragment=list", headers={"HX-Request": "true"}
    )
    assert (
        b"<html" not in fragment.content and b'class="conversation-row unread' in fragment.content
    )
    read = client.post(
        reverse("connections:conversation_read", args=[conversation_of(first)]),
        headers={"HX-Request": "true"},
    )
    assert read.status_code == 200 and queries.unread_total(ann) == 0


def test_the_context_processor_gives_the_badge_count(ann, bob, rf):
    from confab.connections.conversations.context_processors import unread

    dm(bob, "@ann one")
    dm(bob, "@ann two")
    request = rf.get("/")
    request.account = ann
    assert str(unread(request)["unread_messages"]) == "2"
    request.account = None
    assert unread(request) == {}


def test_a_reply_that_mentions_someone_new_adds_them_to_what_mentions_them(ann, bob, cat):
    first = dm(ann, "@bob just us")
    wider = dm(bob, "@ann @cat bringing cat in", in_reply_to_id=first.id)
    conversation = conversation_of(first)
    assert conversation_of(wider) == conversation
    texts = [p.text for p in queries.conversation_posts(cat, conversation)]
    assert texts == ["@ann @cat bringing cat in"]
    # The three of them now continue this conversation with a new message.
    assert conversation_of(dm(cat, "@ann @bob hello both")) == conversation


def test_an_edit_cannot_add_someone_who_blocked_the_author(ann, bob, cat):
    first = dm(ann, "@bob hi")
    account_actions.block(cat, ann)
    with pytest.raises(ValidationError):
        post_actions.edit(ann, first.id, "@bob @cat hi")
    assert Post.objects.get(pk=first.id).text == "@bob hi"


def _stream_events(account) -> list:
    import asyncio

    from confab.realtime.broker import get_broker

    async def read():
        broker = get_broker()
        subscription, missed = broker.subscribe([actions.stream_for(account.pk)], 0)
        broker.unsubscribe(subscription)
        return missed

    return asyncio.run(read())


def test_a_muted_conversation_gets_no_live_bumps(ann, bob, django_capture_on_commit_callbacks):
    from confab.realtime.broker import get_broker

    get_broker().reset()
    first = dm(bob, "@ann hi")
    actions.set_muted(ann, conversation_of(first), True)
    with django_capture_on_commit_callbacks(execute=True):
        dm(bob, "@ann still there?", in_reply_to_id=first.id)
    assert [e.type for e in _stream_events(ann)] == []
    assert [e.type for e in _stream_events(bob)] == ["message"]
    get_broker().reset()
