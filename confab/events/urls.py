"""One URL module per feature, so each can grow on its own."""

from confab.events import event_urls, travel_urls

app_name = "events"

urlpatterns = [
    *event_urls.urlpatterns,
    *travel_urls.urlpatterns,
]
