"""Chat pages: directory, chat, new chat, plan a session, this week, iCalendar feeds, rooms.

Times are shown in the viewer's zone (their profile's, or UTC when signed out): each view
renders with that zone active, so Django's date filters convert to it.
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from confab.accounts import queries as people
from confab.chats import actions, ical, queries, recurrence, rooms
from confab.chats.forms import ChatForm, CohostForm, FollowForm, PlanForm, RoomReplyForm
from confab.chats.models import ROOM_GRACE_MINUTES, CalendarToken, Chat, SessionState
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors
from confab.core.paging import parse_id
from confab.events import ical as event_ical
from confab.events.travel import ical as meetup_ical
from confab.posts import actions as post_actions
from confab.posts import queries as post_queries
from confab.posts.forms import ComposeForm
from confab.posts.models import Visibility

CHAT_PAGE_SESSIONS = 6
WEEKDAYS = list(enumerate(recurrence.WEEKDAY_NAMES))


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    zone = queries.viewer_zone(request.account)
    context = {**context, "zone_label": recurrence.zone_label(zone.key), "kind": "chats"}
    with timezone.override(zone):
        return render(request, template, context, status=status)


def directory(request):
    interest = request.GET.get("interest", "").strip()
    day = request.GET.get("day", "")
    weekday = int(day) if day.isdigit() and int(day) < 7 else None
    entries = queries.directory(request.account, interest=interest, weekday=weekday)
    context = {
        "entries": entries,
        "interest": interest.lstrip("#"),
        "weekday": weekday,
        "weekdays": WEEKDAYS,
    }
    return _render(request, "chats/directory.html", context)


def _chat_context(request, chat: Chat, **forms) -> dict:
    viewer = request.account
    now = timezone.now()
    role = queries.role_of(viewer, chat)
    follow = queries.follow_of(viewer, chat)
    occurrences = queries.upcoming([chat], now, now + timedelta(days=400), CHAT_PAGE_SESSIONS)
    context = {
        "chat": chat,
        "hosts": chat.hosts.all(),
        "interests": chat.interests.all(),
        "schedule_words": recurrence.describe(chat.schedule),
        "occurrences": occurrences[chat.pk],
        "role": role,
        "follow": follow,
        "follow_form": forms.get("follow_form")
        or FollowForm(initial={"remind_minutes": follow.remind_minutes if follow else 15}),
    }
    if role:
        zone = chat.schedule.zone
        next_one = occurrences[chat.pk][0] if occurrences[chat.pk] else None
        initial = {}
        if next_one is not None:
            local = next_one.starts_at.astimezone(zone)
            initial = {"date": local.date(), "time": local.time()}
        context["plan_form"] = forms.get("plan_form") or PlanForm(initial=initial)
        context["cohost_form"] = forms.get("cohost_form") or CohostForm()
        context["chat_zone_label"] = recurrence.zone_label(chat.time_zone)
    return context


def chat(request, name: str):
    found = queries.get_chat(name)
    return _render(request, "chats/chat.html", _chat_context(request, found))


@account_required
def new_chat(request):
    form = ChatForm(request.POST or None, initial={"time_zone": request.account.time_zone})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = actions.create_chat(
                    request.account, form.cleaned_data["hashtag"], form.details()
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "Your chat is ready. Plan its first session below.")
                return redirect(created)
        status = 422
    return _render(request, "chats/new.html", {"form": form}, status)


@account_required
def edit_chat(request, name: str):
    found = queries.get_chat(name)
    if not queries.is_host(request.account, found):
        raise Http404("No such chat.")
    local = found.starts_at_local
    initial = {
        "title": found.title,
        "description": found.description,
        "code_of_conduct": found.code_of_conduct,
        "interests": " ".join(tag.display_name for tag in found.interests.all()),
        "time_zone": found.time_zone,
        "first_date": local.date(),
        "start_time": local.time(),
        "duration": found.duration,
        "pattern": "custom" if found.rrule else "once",
        "rrule": found.rrule,
    }
    form = ChatForm(request.POST or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_chat(request.account, found, form.details())
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "The chat is saved.")
                return redirect(found)
        status = 422
    return _render(request, "chats/edit.html", {"form": form, "chat": found}, status)


@require_POST
@account_required
def follow(request, name: str):
    found = queries.get_chat(name)
    form = FollowForm(request.POST)
    if form.is_valid():
        try:
            actions.follow_chat(request.account, found, form.cleaned_data["remind_minutes"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"You follow #{found.hashtag.display_name}.")
            return redirect(found)
    return _render(request, "chats/chat.html", _chat_context(request, found, follow_form=form), 422)


@require_POST
@account_required
def unfollow(request, name: str):
    found = queries.get_chat(name)
    actions.unfollow_chat(request.account, found)
    messages.success(request, f"You no longer follow #{found.hashtag.display_name}.")
    return redirect(found)


@require_POST
@account_required
def plan(request, name: str):
    found = queries.get_chat(name)
    if not queries.is_host(request.account, found):
        raise Http404("No such chat.")
    form = PlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        local = datetime.combine(data["date"], data["time"])
        guests, missing = [], []
        for username in data["guests"]:
            try:
                guests.append(people.get_account(request.account, username))
            except Http404:
                missing.append(username)
        try:
            if missing:
                raise ValidationError({"guests": [f"No one is called {', '.join(missing)}."]})
            session = actions.plan_session(
                found,
                request.account,
                recurrence.to_utc(local, found.schedule.zone),
                topic=data["topic"],
                guests=guests,
                questions=data["questions"],
            )
        except ValidationError as exc:
            add_action_errors(form, _on_fields(exc, {"starts_at": "date"}))
        else:
            with timezone.override(queries.viewer_zone(request.account)):
                when = timezone.localtime(session.starts_at)
            messages.success(request, f"The session on {when:%A %-d %B at %H:%M} is planned.")
            return redirect(found)
    return _render(request, "chats/chat.html", _chat_context(request, found, plan_form=form), 422)


def _on_fields(exc: ValidationError, renames: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({renames.get(k, k): v for k, v in exc.error_dict.items()})


@require_POST
@account_required
def add_cohost(request, name: str):
    found = queries.get_chat(name)
    if not queries.is_host(request.account, found):
        raise Http404("No such chat.")
    form = CohostForm(request.POST)
    if form.is_valid():
        try:
            account = people.get_account(request.account, form.cleaned_data["username"])
            actions.add_cohost(request.account, found, account)
        except Http404:
            form.add_error("username", "No one here has that username.")
        except ValidationError as exc:
            add_action_errors(form, _on_fields(exc, {"account": "username"}))
        else:
            messages.success(request, f"{account.name} co-hosts the chat now.")
            return redirect(found)
    return _render(request, "chats/chat.html", _chat_context(request, found, cohost_form=form), 422)


@require_POST
@account_required
def remove_cohost(request, name: str, acct: str):
    found = queries.get_chat(name)
    if not queries.is_host(request.account, found):
        raise Http404("No such chat.")
    account = people.get_account(request.account, acct)
    actions.remove_cohost(request.account, found, account)
    messages.success(request, f"{account.name} no longer co-hosts the chat.")
    return redirect(found)


@account_required
def calendar(request):
    token = actions.calendar_token(request.account)
    context = {
        "days": queries.week(request.account),
        "feed_url": request.build_absolute_uri(reverse("chats:my_feed", args=[token.token])),
    }
    return _render(request, "chats/calendar.html", context)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def chat_feed(request, name: str):
    found = queries.get_chat(name)
    now = timezone.now()
    occurrences = queries.upcoming([found], now, now + timedelta(weeks=ical.FEED_WEEKS))
    body = ical.feed(f"#{found.hashtag.display_name}", occurrences[found.pk], now)
    return _ics(body, f"{found.hashtag.name}.ics")


def my_feed(request, token: str):
    found = CalendarToken.objects.select_related("account").filter(token=token).first()
    if found is None:
        raise Http404("No such calendar.")
    now = timezone.now()
    chats = queries.followed_chats(found.account)
    by_chat = queries.upcoming(chats, now, now + timedelta(weeks=ical.FEED_WEEKS))
    everything = sorted(
        (o for occurrences in by_chat.values() for o in occurrences), key=lambda o: o.starts_at
    )
    # Events the person hosts or goes to share the feed (confab.events.ical).
    extra = event_ical.private_feed_components(found.account, now)
    # Confirmed meetups the person organises or goes to (confab.events.travel.ical).
    extra = [*extra, *meetup_ical.meetup_events(found.account, now)]
    return _ics(ical.feed("My chats", everything, now, extra=extra), "my-chats.ics")


# --- The live room of a session ------------------------------------------------------------


def _composer_text(room: queries.Room) -> str:
    hashtag = room.session.chat.hashtag.display_name
    prefix = f"A{room.current.number} " if room.current else ""
    return f"{prefix} #{hashtag}"


def session_room(request, name: str, session_id: int):
    session = queries.get_session(name, session_id)
    reply_to = request.GET.get("reply_to", "")
    reply_form = None
    if reply_to and request.account is not None and _open_for_answers(session):
        parent = rooms.reply_target(request.account, session, parse_id(reply_to) or 0)
        reply_form = RoomReplyForm(
            initial={
                "in_reply_to_id": parent.pk,
                "text": post_queries.reply_prefix(request.account, parent),
            }
        )
        reply_form.parent = parent
    return _room_page(request, session, reply_form)


def _open_for_answers(session) -> bool:
    # Once the session (and its grace period) is over, answers would no longer join the
    # room: offer the transcript instead of a composer that would mislead.
    return timezone.now() <= session.ends_at + timedelta(minutes=ROOM_GRACE_MINUTES)


def _room_page(request, session, reply_form=None, status: int = 200) -> HttpResponse:
    found = queries.room(request.account, session)
    is_host = queries.is_host(request.account, session.chat)
    path = reverse("chats:room", args=[session.chat.hashtag.name, session.pk])
    state = _state_by_clock(session)
    open_for_answers = request.account is not None and _open_for_answers(session)
    context = {
        "chat": session.chat,
        "session": session,
        "room": found,
        "is_host": is_host,
        "moderation_urls": _moderation_urls(session) if is_host else None,
        "catch_up": request.GET.get("view") == "questions",
        "live_url": reverse("live_room", args=[session.pk]),
        "room_path": path,
        "composer": ComposeForm(initial={"text": _composer_text(found)})
        if open_for_answers
        else None,
        "grace_minutes": ROOM_GRACE_MINUTES,
        "state": state,
        "reply_form": reply_form,
        "replies_closed": not _open_for_answers(session),
    }
    return _render(request, "chats/room.html", context, status=status)


@require_POST
@account_required
def room_reply(request, name: str, session_id: int):
    """Reply to a post in the room without leaving it; back to the room, at the reply."""
    session = queries.get_session(name, session_id)
    form = RoomReplyForm(request.POST)
    parent = rooms.reply_target(
        request.account, session, parse_id(request.POST.get("in_reply_to_id")) or 0
    )
    form.parent = parent
    if not _open_for_answers(session):
        form.add_error(None, "This session is over: reply from the post's own page instead.")
    elif form.is_valid():
        try:
            new = post_actions.post(
                request.account,
                form.cleaned_data["text"],
                visibility=Visibility.PUBLIC,
                in_reply_to_id=parent.pk,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            path = reverse("chats:room", args=[session.chat.hashtag.name, session.pk])
            if rooms.in_room(session, new.pk):
                messages.success(request, "Replied in the room.")
                return redirect(f"{path}#entry-{new.pk}")
            messages.info(
                request,
                "Your reply is posted, but it is not in the room: the hosts locked the room "
                "or muted you for this session.",
            )
            return redirect(path)
    return _room_page(request, session, form, status=422)


def _moderation_urls(session) -> dict[str, str]:
    """The host's hide and mute urls with `{post}` and `{acct}` for confab.js to fill in.

    Cards that arrive live are rendered once for every reader, without a host's buttons;
    the host's page adds them from the card's data-post-id and data-acct.
    """
    tag = session.chat.hashtag.name
    hide = reverse("chats:room_hide", args=[tag, session.pk, 1])
    mute = reverse("chats:room_mute", args=[tag, session.pk, "_"])
    return {
        "hide": hide.removesuffix("/1/hide") + "/{post}/hide",
        "mute": mute.removesuffix("/_/mute") + "/{acct}/mute",
    }


def _state_by_clock(session) -> str:
    # The worker moves `state` on a moment late (or not at all while it is stopped); the
    # room tells people what the clock says, as joining the room does.
    if session.state == SessionState.ENDED:
        return SessionState.ENDED
    now = timezone.now()
    if now >= session.ends_at:
        return SessionState.ENDED
    return SessionState.LIVE if now >= session.starts_at else SessionState.SCHEDULED


def _room_or_404(request, name: str, session_id: int):
    """Return the session for a host's room control; anyone else finds no such room."""
    session = queries.get_session(name, session_id)
    if not queries.is_host(request.account, session.chat):
        raise Http404("No such room.")
    return session


def _back(session) -> HttpResponse:
    return redirect("chats:room", session.chat.hashtag.name, session.pk)


def _room_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_POST
@account_required
def room_hide(request, name: str, session_id: int, post_id: int):
    session = _room_or_404(request, name, session_id)
    rooms.hide_entry(request.account, session, post_id)
    messages.success(request, "The post is hidden from the room.")
    return _back(session)


@require_POST
@account_required
def room_unhide(request, name: str, session_id: int, post_id: int):
    session = _room_or_404(request, name, session_id)
    rooms.unhide_entry(request.account, session, post_id)
    messages.success(request, "The post is back in the room.")
    return _back(session)


@require_POST
@account_required
def room_mute(request, name: str, session_id: int, acct: str):
    session = _room_or_404(request, name, session_id)
    account = people.get_account(request.account, acct)
    rooms.mute_participant(
        request.account, session, account, hide_existing=bool(request.POST.get("hide_existing"))
    )
    messages.success(request, f"{account.name} is muted in this session's room.")
    return _back(session)


@require_POST
@account_required
def room_unmute(request, name: str, session_id: int, acct: str):
    session = _room_or_404(request, name, session_id)
    account = people.get_account(request.account, acct)
    rooms.unmute_participant(request.account, session, account)
    messages.success(request, f"{account.name} is no longer muted in this room.")
    return _back(session)


@require_POST
@account_required
def room_lock(request, name: str, session_id: int, state: str):
    session = _room_or_404(request, name, session_id)
    rooms.set_locked(request.account, session, state == "lock")
    messages.success(
        request, "The room is locked." if session.locked else "The room is open again."
    )
    return _back(session)


@require_POST
@account_required
def question_next(request, name: str, session_id: int):
    session = _room_or_404(request, name, session_id)
    try:
        actions.post_next_question(request.account, session)
    except ValidationError as exc:
        _room_errors(request, exc)
    else:
        messages.success(request, "The next question is posted.")
    return _back(session)


def _minute(request) -> int | None:
    raw = request.POST.get("offset_minutes", "").strip()
    return int(raw) if raw.isdigit() else None


@require_POST
@account_required
def question_add(request, name: str, session_id: int):
    session = _room_or_404(request, name, session_id)
    try:
        question = actions.add_question(
            request.account, session, request.POST.get("text", ""), _minute(request)
        )
    except ValidationError as exc:
        _room_errors(request, exc)
    else:
        messages.success(request, f"Q{question.number} is added.")
    return _back(session)


@require_POST
@account_required
def question_edit(request, name: str, session_id: int, number: int):
    session = _room_or_404(request, name, session_id)
    minute = _minute(request)
    try:
        if minute is None:
            raise ValidationError({"offset_minutes": ["Give the minute after the start."]})
        actions.edit_question(
            request.account, session, number, request.POST.get("text", ""), minute
        )
    except ValidationError as exc:
        _room_errors(request, exc)
    else:
        messages.success(request, f"Q{number} is saved.")
    return _back(session)
