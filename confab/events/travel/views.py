"""Trip and meetup pages. Whoever may not see a trip or meetup gets a 404 from every one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from confab.chats.queries import viewer_zone
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors
from confab.events.models.travel import Meetup
from confab.events.travel import actions, ical, queries
from confab.events.travel.forms import ConfirmForm, MeetupForm, RespondForm, TripForm


def _today(request):
    return timezone.now().astimezone(viewer_zone(request.account)).date()


# --- Trips --------------------------------------------------------------------------------


@account_required
def trips(request):
    viewer = request.account
    today = _today(request)
    upcoming, past = queries.own_trips(viewer, today)
    context = {
        "upcoming": upcoming,
        "past": past,
        "others": queries.connections_trips(viewer, today),
        "kind": "trips",
    }
    return render(request, "events/trips.html", context)


@account_required
def new_trip(request):
    form = TripForm(request.POST or None, traveller=request.account)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                trip = actions.create_trip(request.account, form.details())
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, f"Your trip to {trip.city_label} is saved.")
                return redirect(trip)
        status = 422
    return render(request, "events/trip_form.html", {"form": form, "kind": "trips"}, status=status)


def _distance(request) -> int:
    raw = request.GET.get("within", "")
    if raw.isdigit() and int(raw) in queries.DISTANCES_KM:
        return int(raw)
    return queries.DEFAULT_DISTANCE_KM


@account_required
def trip(request, trip_id: int):
    viewer = request.account
    found = queries.get_trip_for(viewer, trip_id)
    is_traveller = found.traveller_id == viewer.pk
    context: dict = {"trip": found, "is_traveller": is_traveller, "kind": "trips"}
    if is_traveller:
        # Who is around is the traveller's to know: their connections' cities and trips.
        within = _distance(request)
        nearby = queries.around(found, within)
        context.update(
            within=within,
            distances=queries.DISTANCES_KM,
            nearby=nearby,
            invitable=[n.account.username for n in nearby if n.acquaintance][
                : actions.MAX_INVITEES
            ],
            events=queries.events_during(found, within, viewer),
        )
    else:
        # Someone who sees the trip through a list may not be a mutual: no invitation then.
        context["can_invite"] = queries.acquaintances(viewer).filter(pk=found.traveller_id).exists()
    return render(request, "events/trip.html", context)


@account_required
def edit_trip(request, trip_id: int):
    found = queries.get_own_trip(request.account, trip_id)
    form = TripForm(
        request.POST or None, traveller=request.account, initial=TripForm.initial_for(found)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_trip(request.account, found, form.details())
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "The trip is saved.")
                return redirect(found)
        status = 422
    return render(
        request,
        "events/trip_form.html",
        {"form": form, "trip": found, "kind": "trips"},
        status=status,
    )


@require_POST
@account_required
def delete_trip(request, trip_id: int):
    found = queries.get_own_trip(request.account, trip_id)
    actions.delete_trip(request.account, found)
    messages.success(request, f"Your trip to {found.city_label} is deleted.")
    return redirect("events:trips")


# --- Meetups ------------------------------------------------------------------------------


@account_required
def meetups(request):
    return render(
        request,
        "events/meetups.html",
        {"meetups": queries.my_meetups(request.account), "kind": "meetups"},
    )


def _prefill(request) -> dict:
    """Let the trip page start a proposal: ?city=…&invite=ann&invite=bob."""
    initial: dict = {}
    if city := request.GET.get("city", "")[:200]:
        initial["city"] = city
    if names := [n[:30] for n in request.GET.getlist("invite")[: actions.MAX_INVITEES]]:
        initial["invitees"] = " ".join(names)
    return initial


@account_required
def new_meetup(request):
    form = MeetupForm(request.POST or None, initial=_prefill(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                meetup = actions.propose_meetup(request.account, form.details())
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "Your invitations are sent.")
                return redirect(meetup)
        status = 422
    context = {
        "form": form,
        "option_values": form.option_values(),
        "option_errors": form.errors.get("options", []),
        "acquaintances": queries.acquaintances(request.account).order_by("username")[:200],
        "zone_label": request.account.time_zone or "UTC",
        "kind": "meetups",
    }
    return render(request, "events/meetup_form.html", context, status=status)


def _meetup_page(request, meetup: Meetup, status: int = 200, **forms) -> HttpResponse:
    viewer = request.account
    detail = queries.meetup_detail(viewer, meetup)
    context = {
        "meetup": meetup,
        "detail": detail,
        "is_organiser": meetup.organiser_id == viewer.pk,
        "zone_label": meetup.time_zone,
        "kind": "meetups",
        **forms,
    }
    with timezone.override(meetup.zone):
        return render(request, "events/meetup.html", context, status=status)


@account_required
def meetup(request, meetup_id: int):
    return _meetup_page(request, queries.get_meetup_for(request.account, meetup_id))


@require_POST
@account_required
def respond(request, meetup_id: int):
    found = queries.get_meetup_for(request.account, meetup_id)
    form = RespondForm(request.POST, meetup=found)
    if form.is_valid():
        try:
            invite = actions.respond(
                request.account,
                found,
                form.cleaned_data["response"],
                set(form.cleaned_data["votes"]),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            coming = invite.response == invite.Response.ACCEPTED
            messages.success(request, "Thanks: the organiser knows." if coming else "Noted.")
            return redirect(found)
    return _meetup_page(request, found, status=422, respond_form=form)


@require_POST
@account_required
def confirm(request, meetup_id: int):
    found = queries.get_meetup_for(request.account, meetup_id)
    if found.organiser_id != request.account.pk:
        return _meetup_page(request, found, status=403)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            actions.confirm_meetup(request.account, found, form.cleaned_data["option"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Confirmed. Everyone coming is told and reminded.")
            return redirect(found)
    return _meetup_page(request, found, status=422, confirm_form=form)


@require_POST
@account_required
def cancel(request, meetup_id: int):
    found = queries.get_meetup_for(request.account, meetup_id)
    if found.organiser_id != request.account.pk:
        return _meetup_page(request, found, status=403)
    actions.cancel_meetup(request.account, found)
    messages.success(request, "The meetup is cancelled; those invited are told.")
    return redirect(found)


@account_required
def meetup_ics(request, meetup_id: int):
    found = queries.get_meetup_for(request.account, meetup_id)
    if not found.is_confirmed:
        messages.error(request, "The meetup has no time yet: the organiser has not confirmed one.")
        return redirect(found)
    now = timezone.now()
    body = ical.calendar(found.title, [ical.meetup_event(found, now)], now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meetup-{found.pk}.ics"'
    return response
