from django.utils.functional import SimpleLazyObject

from confab.notifications.queries import unread_count


def unread(request):
    """Give every page the signed-in person's unread count, counted only if the page shows it."""
    viewer = getattr(request, "account", None)
    if viewer is None:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(viewer))}
