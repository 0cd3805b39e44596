"""Confab's URLs plus `/bench/hello`, the baseline every page is compared with.

The hello view goes through the same server, middleware and URL resolver as the real pages
but touches no database and renders no template, so a page's ratio against it says what the
page itself costs.
"""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("hello")


urlpatterns = [
    path("bench/hello", hello, name="bench_hello"),
    path("", include("confab.config.urls")),
]
