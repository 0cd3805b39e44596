from django.urls import path

from confab.curation import views

app_name = "curation"
LIST = "lists/<int:list_id>"

urlpatterns = [
    path("lists", views.lists, name="lists"),
    path("lists/new", views.new_list, name="new"),
    path("lists/add-member", views.add_member, name="add_to_list"),
    path("lists/remove-member", views.remove_member, name="remove_from_list"),
    path("lists/add-people", views.add_people, name="add_people"),
    path(LIST, views.list_timeline, name="list"),
    path(f"{LIST}/edit", views.edit_list, name="edit"),
    path(f"{LIST}/delete", views.delete_list, name="delete"),
    path(f"{LIST}/members", views.members, name="members"),
    path(f"{LIST}/members/add", views.add_member, name="add_member"),
    path(f"{LIST}/members/remove", views.remove_member, name="remove_member"),
    path(f"{LIST}/hashtags/add", views.add_hashtag, name="add_hashtag"),
    path(f"{LIST}/hashtags/remove", views.remove_hashtag, name="remove_hashtag"),
    path(f"{LIST}/subscribe", views.subscribe, name="subscribe"),
    path(f"{LIST}/unsubscribe", views.unsubscribe, name="unsubscribe"),
    path(f"{LIST}/copy", views.copy, name="copy"),
    path("tags/<str:name>/follow", views.follow_hashtag, name="follow_hashtag"),
    path("tags/<str:name>/unfollow", views.unfollow_hashtag, name="unfollow_hashtag"),
    path("tags/<str:name>/feature", views.feature_hashtag, name="feature_hashtag"),
    path("tags/<str:name>/unfeature", views.unfeature_hashtag, name="unfeature_hashtag"),
]
