from django.conf import settings


def instance(request):
    """Give every template the instance's name and the signed-in person's account."""
    return {
        "instance_name": settings.INSTANCE_NAME,
        "viewer": getattr(request, "account", None),
        "post_max_chars": settings.POST_MAX_CHARS,
        "post_url_chars": settings.POST_URL_CHARS,
    }
