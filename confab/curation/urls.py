from django.urls import path

from confab.curation import hashtag_views, kit_views, onboarding_views, views

app_name = "curation"
LIST = "lists/<int:list_id>"
KIT = "kits/<int:kit_id>"

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
    # Several hashtags as one timeline: /tags?any=STEM,EduMatch&none=Politics
    path("tags", hashtag_views.combined, name="combined"),
    path("hashtags/trending", hashtag_views.trending, name="trending"),
    path("hashtags/complete", hashtag_views.complete, name="complete_hashtag"),
    path("hashtags/<str:name>/hide", hashtag_views.hide_trend, name="hide_trend"),
    path("hashtags/<str:name>/unhide", hashtag_views.unhide_trend, name="unhide_trend"),
    # Starter kits
    path("kits", kit_views.kits, name="kits"),
    path("kits/new", kit_views.new_kit, name="new_kit"),
    path(KIT, kit_views.kit, name="kit"),
    path(f"{KIT}/edit", kit_views.edit_kit, name="edit_kit"),
    path(f"{KIT}/add/<str:what>", kit_views.add_to_kit, name="add_to_kit"),
    path(f"{KIT}/remove/<str:what>", kit_views.remove_from_kit, name="remove_from_kit"),
    path(f"{KIT}/delete", kit_views.delete_kit, name="delete_kit"),
    path(f"{KIT}/feature", kit_views.feature_kit, name="feature_kit"),
    path(f"{KIT}/follow", kit_views.follow_kit, name="follow_kit"),
    # Onboarding, right after sign-up
    path("welcome", onboarding_views.welcome, name="welcome"),
    path("welcome/follow", onboarding_views.welcome_follow, name="welcome_follow"),
    path("welcome/follow/<str:what>", onboarding_views.welcome_one, name="welcome_one"),
    path("welcome/done", onboarding_views.welcome_done, name="welcome_done"),
]
