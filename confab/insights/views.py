import contextlib
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from confab.chats import transcript
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors
from confab.insights import actions, charts, queries
from confab.insights.forms import LOCAL_FORMAT, ScheduledEditForm, ScheduleForm


def _when(row_or_instant, account) -> str:
    local = row_or_instant.astimezone(actions.account_zone(account))
    return f"{local:%a %-d %b %Y, %H:%M} ({local.tzinfo})"


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else ""


@account_required
def schedule_from_composer(request):
    """The composer's POST when "Schedule for" is filled in (called by posts.views.compose)."""
    form = ScheduleForm(request.POST, request.FILES)
    if form.is_valid() and form.cleaned_data["scheduled_for"] is not None:
        data = form.cleaned_data
        try:
            row = actions.schedule(
                request.account,
                data["text"],
                scheduled_for=data["scheduled_for"],
                spoiler_text=data["spoiler_text"],
                visibility=data["visibility"],
                in_reply_to_id=data["in_reply_to_id"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Scheduled for {_when(row.scheduled_at, request.account)}.")
            return redirect("insights:scheduled")
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "posts/compose.html", context, status=422)


@account_required
def new_scheduled(request):
    """The composer with its time filled in, e.g. from a best-time slot on Insights."""
    initial = {}
    raw = request.GET.get("at", "")
    with contextlib.suppress(ValueError):
        initial["scheduled_for"] = datetime.strptime(raw, LOCAL_FORMAT)
    form = ScheduleForm(initial=initial)
    return render(request, "insights/new.html", {"form": form})


@account_required
def scheduled(request):
    found = queries.scheduled(request.account)
    context = {
        "found": found,
        "zone": actions.account_zone(request.account),
        "max_pending": actions.MAX_PENDING,
    }
    return render(request, "insights/scheduled.html", context)


@account_required
def edit_scheduled(request, scheduled_id: int):
    row = queries.get_scheduled(request.account, scheduled_id)
    zone = actions.account_zone(request.account)
    initial = {
        "text": row.text,
        "spoiler_text": row.spoiler_text,
        "visibility": row.visibility,
        "scheduled_for": row.scheduled_at.astimezone(zone).replace(tzinfo=None),
    }
    form = ScheduledEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = actions.update(
                    request.account,
                    row.pk,
                    data["text"],
                    scheduled_for=data["scheduled_for"],
                    spoiler_text=data["spoiler_text"],
                    visibility=data["visibility"],
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(
                    request, f"Scheduled for {_when(row.scheduled_at, request.account)}."
                )
                return redirect("insights:scheduled")
        status = 422
    context = {"form": form, "row": row, "zone": zone}
    return render(request, "insights/edit.html", context, status=status)


@require_POST
@account_required
def cancel_scheduled(request, scheduled_id: int):
    try:
        actions.cancel(request.account, scheduled_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Cancelled: it will not be published.")
    return redirect("insights:scheduled")


def _heatmap_context(heatmap: queries.Heatmap) -> dict:
    return {
        "heatmap": heatmap,
        "heat_chart": charts.heatmap_chart(heatmap),
        "weekdays": queries.WEEKDAYS,
        "hours": range(24),
        "heat_rows": charts.heatmap_table_rows(heatmap),
    }


@account_required
def insights(request):
    account = request.account
    zone = actions.account_zone(account)
    heatmap = queries.activity_heatmap(account, zone)
    countries = queries.followers_by_country(account)
    zones = queries.followers_by_zone(account)
    growth = queries.network_growth(account)
    month_labels = [f"{m:%b %y}" for m in growth.months]
    context = {
        **_heatmap_context(heatmap),
        "zone": zone,
        "activity_days": queries.ACTIVITY_DAYS,
        "countries": countries,
        "country_chart": charts.share_chart(countries),
        "zones": zones,
        "zone_chart": charts.share_chart(zones),
        "growth": growth,
        "growth_chart": charts.grouped_bars(
            month_labels,
            [growth.total("in"), growth.total("out")],
            ["new followers", "people you followed"],
        ),
        "growth_rows": list(
            zip(month_labels, growth.total("in"), growth.total("out"), strict=True)
        ),
        "origins_in": growth.by_origin("in"),
        "origins_out": growth.by_origin("out"),
        "origin_chart": charts.share_chart(growth.by_origin("in")),
    }
    return render(request, "insights/insights.html", context)


@account_required
def chat_insights(request, name: str):
    chat = queries.get_hosted_chat(request.account, name)
    zone = queries.chat_zone(chat)
    counts = transcript.trend(chat)
    labels = [f"{c.session.starts_at.astimezone(zone):%-d %b}" for c in counts]
    heatmap = queries.activity_heatmap(chat, zone)
    best_hours = sorted(enumerate(heatmap.by_hour()), key=lambda item: (-item[1], item[0]))[
        : queries.TOP_SLOTS
    ]
    context = {
        **_heatmap_context(heatmap),
        "chat": chat,
        "zone": zone,
        "activity_days": queries.ACTIVITY_DAYS,
        "counts": counts,
        "session_chart": charts.grouped_bars(
            labels,
            [[c.participants for c in counts], [c.first_timers for c in counts]],
            ["participants", "first-timers"],
        ),
        "best_hours": [(hour, n) for hour, n in best_hours if n],
    }
    return render(request, "insights/chat.html", context)
