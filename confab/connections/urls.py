"""One URL module per feature, so each can grow on its own."""

from confab.connections import conversation_urls, people_urls, search_urls

app_name = "connections"

urlpatterns = [
    *search_urls.urlpatterns,
    *conversation_urls.urlpatterns,
    *people_urls.urlpatterns,
]
