"""Event pages: directory, my events, an event with its RSVPs and hashtag timeline, forms.

Times are shown in the viewer's zone (their profile's, or UTC when signed out), beside the
organiser's: each view renders with the viewer's zone active, so Django's date filters
convert to it. Whatever someone may not see is a 404, on every page and file here.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from confab.accounts import queries as people
from confab.chats import queries as chat_queries
from confab.chats import recurrence
from confab.core import places
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors
from confab.core.paging import page_for, parse_id
from confab.events import actions, ical, queries
from confab.events.forms import ACTION_FIELDS, CohostForm, DirectoryFilter, EventForm, RSVPForm
from confab.events.models import Event, RSVPState
from confab.posts.forms import ComposeForm
from confab.timelines import queries as timelines


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    zone = queries.viewer_zone(request.account)
    context = {**context, "zone_label": recurrence.zone_label(zone.key), "kind": "events"}
    with timezone.override(zone):
        return render(request, template, context, status=status)


def _on_fields(exc: ValidationError, renames: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({renames.get(k, k): v for k, v in exc.error_dict.items()})


def directory(request) -> HttpResponse:
    """Upcoming public events, filtered by city, online / in person, or interest."""
    form = DirectoryFilter(request.GET or None)
    city = None
    where = interest = ""
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        where, interest = data["where"], data["interest"].strip().lstrip("#")
        if data["city"].strip():
            try:
                city = places.resolve_city(data["city"])
            except places.PlaceError as exc:
                form.add_error("city", exc.message)
                status = 422
    elif form.is_bound:
        status = 422
    events: list[Event] = []
    later = ""
    if status == 200:
        events = queries.directory(
            request.account,
            city_id=city.id if city else None,
            virtual={"virtual": True, "live": False}.get(where),
            interest=interest,
            after=parse_id(request.GET.get("after")),
            limit=queries.DIRECTORY_LIMIT,
        )
        if len(events) > queries.DIRECTORY_LIMIT:
            events = events[: queries.DIRECTORY_LIMIT]
            query = request.GET.copy()
            query["after"] = str(events[-1].pk)
            later = query.urlencode()
    context = {"form": form, "events": events, "city": city, "tab": "all", "later": later}
    return _render(request, "events/directory.html", context, status)


@account_required
def mine(request):
    events = queries.my_events(request.account)
    return _render(request, "events/directory.html", {"events": events, "tab": "mine"})


def _zone_context(event: Event) -> dict:
    zone = ical.event_zone(event)
    return {
        "event_zone_label": recurrence.zone_label(event.time_zone),
        # Naive, so the date filter does not convert them to the viewer's zone.
        "event_local_start": recurrence.to_local(event.starts_at, zone),
        "event_local_end": recurrence.to_local(event.ends_at, zone),
    }


def _event_context(request, event: Event, **forms) -> dict:
    viewer = request.account
    role = queries.role_of(viewer, event)
    answer = queries.rsvp_of(viewer, event)
    now = timezone.now()
    context = {
        "event": event,
        "hosts": event.hosts.all(),
        "interests": event.interests.all(),
        "role": role,
        "rsvp": answer,
        "attendees": queries.attendees(viewer, event),
        "is_over": event.ends_at <= now,
        "is_live_now": event.starts_at <= now < event.ends_at,
        "rsvp_form": forms.get("rsvp_form")
        or RSVPForm(
            initial={
                "state": answer.state if answer else RSVPState.GOING,
                "listed": answer.listed if answer else True,
            }
        ),
        "page": page_for(
            request,
            timelines.hashtag(viewer, event.hashtag_id),
            key=timelines.TAGGED_KEY,
            loaded_key="id",
            load=timelines.cards(viewer),
        ),
        "webcal_url": request.build_absolute_uri(reverse("events:ics", args=[event.pk])).replace(
            "http", "webcal", 1
        ),
        **_zone_context(event),
    }
    if viewer is not None and not event.is_cancelled:
        context["compose_form"] = ComposeForm(initial={"text": f" #{event.hashtag.display_name}"})
    if event.chat is not None:
        context["chat_next"] = chat_queries.next_occurrence(event.chat, now)
    if role:
        context["cohost_form"] = forms.get("cohost_form") or CohostForm()
    return context


def event(request, event_id: int):
    found = queries.get_event(request.account, event_id)
    context = _event_context(request, found)
    if request.GET.get("fragment") == "page":
        return _render(request, "timelines/_page.html", context)
    return _render(request, "events/event.html", context)


def _form_initial(event: Event) -> dict:
    zone = ical.event_zone(event)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    return {
        "title": event.title,
        "hashtag": event.hashtag.display_name,
        "description": event.description,
        "kind": "virtual" if event.is_virtual else "live",
        "venue": event.venue,
        "city": event.city_label,
        "online_url": event.online_url,
        "time_zone": event.time_zone,
        "start_date": start.date(),
        "start_time": start.time(),
        "end_date": end.date(),
        "end_time": end.time(),
        "visibility": event.visibility,
        "interests": " ".join(tag.display_name for tag in event.interests.all()),
        "chat": event.chat.hashtag.display_name if event.chat else "",
    }


@account_required
def new_event(request):
    initial = {"time_zone": request.account.time_zone or "UTC", "city": request.account.city_label}
    chat_name = request.GET.get("chat", "")
    if chat_name:
        initial["chat"] = chat_name
    form = EventForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = actions.create_event(request.account, form.details())
            except ValidationError as exc:
                add_action_errors(form, _on_fields(exc, ACTION_FIELDS))
            else:
                messages.success(request, "Your event is ready. Share its page or its hashtag.")
                return redirect(created)
        status = 422
    return _render(request, "events/new.html", {"form": form}, status)


def _hosted_or_404(request, event_id: int) -> Event:
    found = queries.get_event(request.account, event_id)
    if not queries.is_host(request.account, found):
        raise Http404("No such event.")
    return found


@account_required
def edit_event(request, event_id: int):
    found = _hosted_or_404(request, event_id)
    form = EventForm(request.POST or None, initial=_form_initial(found))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = actions.update_event(request.account, found, form.details())
            except ValidationError as exc:
                add_action_errors(form, _on_fields(exc, ACTION_FIELDS))
            else:
                told = " Everyone coming has been told." if changed else ""
                messages.success(request, f"The event is saved.{told}")
                return redirect(found)
        status = 422
    context = {"form": form, "event": found, **_zone_context(found)}
    return _render(request, "events/edit.html", context, status)


@require_POST
@account_required
def cancel_event(request, event_id: int):
    found = _hosted_or_404(request, event_id)
    actions.cancel_event(request.account, found)
    messages.success(request, "The event is cancelled. Everyone who answered has been told.")
    return redirect(found)


@require_POST
@account_required
def rsvp(request, event_id: int):
    # Someone who may not see the event finds nothing here (get_event raises Http404).
    found = queries.get_event(request.account, event_id)
    form = RSVPForm(request.POST)
    if form.is_valid():
        state = form.cleaned_data["state"]
        try:
            actions.rsvp(request.account, found.pk, state, listed=form.cleaned_data["listed"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            words = {
                RSVPState.GOING: "You're going. We'll remind you before it starts.",
                RSVPState.INTERESTED: "You're interested.",
                RSVPState.NOT_GOING: "You're not going.",
            }
            messages.success(request, words[state])
            return redirect(found)
    context = _event_context(request, found, rsvp_form=form)
    return _render(request, "events/event.html", context, 422)


@require_POST
@account_required
def add_cohost(request, event_id: int):
    found = _hosted_or_404(request, event_id)
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
            messages.success(request, f"{account.name} co-hosts the event now.")
            return redirect(found)
    context = _event_context(request, found, cohost_form=form)
    return _render(request, "events/event.html", context, 422)


@require_POST
@account_required
def remove_cohost(request, event_id: int, acct: str):
    found = _hosted_or_404(request, event_id)
    account = people.get_account(request.account, acct)
    try:
        actions.remove_cohost(request.account, found, account)
    except PermissionDenied:
        raise Http404("No such co-host.") from None
    messages.success(request, f"{account.name} no longer co-hosts the event.")
    return redirect(found)


def event_ics(request, event_id: int):
    """The event as an iCalendar file, to download or subscribe to (it follows edits)."""
    found = queries.get_event(request.account, event_id)
    body = ical.feed(found.title, [found])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="event-{found.pk}.ics"'
    return response
