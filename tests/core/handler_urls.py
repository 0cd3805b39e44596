"""Views for tests/core/test_handler.py: where a request ran, streams, an error, an echo."""

import threading

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

finished: list[str] = []


def where(request):
    return JsonResponse(
        {
            "thread": threading.current_thread().name,
            "account": request.account is None,  # set by CurrentAccountMiddleware
        }
    )


def stream(request):
    def chunks():
        for n in range(3):
            yield f"chunk {n} from {threading.current_thread().name}\n".encode()

    return StreamingHttpResponse(chunks(), content_type="text/plain")


# How many parts the long stream has produced, read by the test as each part is sent.
produced: list[int] = [0]
LONG_PARTS = 100


def long_stream(request):
    produced[0] = 0

    def parts():
        for n in range(LONG_PARTS):
            produced[0] += 1
            yield f"{n:04d}".encode()

    return StreamingHttpResponse(parts(), content_type="text/plain")


def broken(request):
    raise RuntimeError("a bug in a view")


@csrf_exempt
def echo(request):
    return HttpResponse(request.body[::-1], content_type="application/octet-stream")


async def asynchronous(request):
    return JsonResponse({"thread": threading.current_thread().name})


urlpatterns = [
    path("where", where),
    path("stream", stream),
    path("long-stream", long_stream),
    path("broken", broken),
    path("echo", echo),
    path("async", asynchronous),
    path("", include("confab.config.urls")),  # the site's pages and their URL names
]
