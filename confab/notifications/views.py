from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from confab.core.decorators import account_required
from confab.core.paging import page_for
from confab.notifications import actions, queries
from confab.notifications.forms import SettingsForm
from confab.notifications.models import Kind


def _back(request):
    """Go back to the page the form was on (a filtered tab, an older page), or the first page."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications")


@account_required
def notifications(request):
    tab = request.GET.get("kind", "")
    rows = queries.notifications_for(request.account, queries.kinds_for(tab)).select_related(
        "actor", "post", "post__account"
    )
    page = page_for(request, rows)
    context = {
        "page": page,
        "groups": queries.group(page.items),
        "tabs": [(name, label) for name, label, _ in queries.TABS],
        "tab": tab,
        # The main navigation marks the current page by `kind`.
        "kind": "notifications",
    }
    return render(request, "notifications/notifications.html", context)


@require_POST
@account_required
def mark_read(request, notification_id: int):
    actions.mark_read(request.account, notification_id)
    return _back(request)


@require_POST
@account_required
def mark_all_read(request):
    actions.mark_all_read(request.account)
    messages.success(request, "All notifications are marked as read.")
    return _back(request)


@account_required
def settings(request):
    current = queries.settings_for(request.account)
    initial = {kind: getattr(current, kind) for kind in Kind.values}
    # An all-unchecked form posts no fields at all, so ask the method, not the data.
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_settings(request.account, form.cleaned_data)
        messages.success(request, "Your notification settings are saved.")
        return redirect("notification_settings")
    return render(request, "notifications/settings.html", {"form": form})
