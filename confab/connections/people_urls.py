from django.urls import path

from confab.connections.people import views

urlpatterns: list = [
    path("people", views.people_page, name="people"),
    path("people/@<str:acct>/dismiss", views.dismiss, name="dismiss"),
    path("introductions", views.introductions, name="introductions"),
    path("introductions/new", views.introduce, name="introduce"),
    path("introductions/<int:introduction_id>", views.introduction, name="introduction"),
    path("introductions/<int:introduction_id>/answer", views.answer, name="answer_introduction"),
]
