from django.utils.functional import SimpleLazyObject

from confab.connections.conversations.queries import unread_total


def unread(request):
    """Give every page the signed-in person's unread messages, counted only if shown."""
    viewer = getattr(request, "account", None)
    if viewer is None:
        return {}
    return {"unread_messages": SimpleLazyObject(lambda: unread_total(viewer))}
