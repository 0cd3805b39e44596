from django.urls import path

from confab.connections.search import views as search

urlpatterns: list = [
    path("search", search.search, name="search"),
]
