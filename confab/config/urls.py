from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from confab.accounts import views as accounts
from confab.core import views as core
from confab.posts import views as posts
from confab.realtime import views as realtime
from confab.timelines import views as timelines

ACCT = "<str:acct>"

urlpatterns = [
    path("", timelines.home, name="home"),
    path("local", timelines.local, name="local"),
    path("tags/<str:name>", timelines.hashtag, name="hashtag"),
    path("bookmarks", timelines.bookmarks, name="bookmarks"),
    path("live/home", realtime.live, {"kind": "home"}, name="live_home"),
    path("live/local", realtime.live, {"kind": "local"}, name="live_local"),
    path("live/tags/<str:name>", realtime.live, {"kind": "tag"}, name="live_hashtag"),
    path("live/rooms/<int:session_id>", realtime.live, {"kind": "room"}, name="live_room"),
    path("live/lists/<int:list_id>", realtime.live, {"kind": "list"}, name="live_list"),
    path("live/notifications", realtime.live, {"kind": "notifications"}, name="live_notifications"),
    path("live/conversations", realtime.live, {"kind": "conversations"}, name="live_conversations"),
    # Accounts
    path("signup", accounts.signup, name="signup"),
    path("login", accounts.LoginView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/profile", accounts.edit_profile, name="edit_profile"),
    path(
        "settings/profile/<str:kind>",
        accounts.profile_image,
        name="profile_image",
    ),
    path("settings/password", accounts.change_password, name="change_password"),
    path("follow-requests", accounts.follow_requests, name="follow_requests"),
    path(
        "follow-requests/<int:request_id>/<str:answer>",
        accounts.answer_follow_request,
        name="answer_follow_request",
    ),
    path("places/cities", accounts.city_search, name="city_search"),
    # Posts
    path("posts/new", posts.compose, name="compose"),
    path("posts/<int:post_id>/favourite", posts.favourite, name="favourite"),
    path("posts/<int:post_id>/unfavourite", posts.unfavourite, name="unfavourite"),
    path("posts/<int:post_id>/boost", posts.boost, name="boost"),
    path("posts/<int:post_id>/unboost", posts.unboost, name="unboost"),
    path("posts/<int:post_id>/bookmark", posts.bookmark, name="bookmark"),
    path("posts/<int:post_id>/unbookmark", posts.unbookmark, name="unbookmark"),
    # Profiles: /@name, /@name/followers, /@name/123
    path(f"@{ACCT}", accounts.profile, name="profile"),
    path(f"@{ACCT}/followers", accounts.followers, name="followers"),
    path(f"@{ACCT}/following", accounts.following, name="following"),
    path(f"@{ACCT}/follow", accounts.follow, name="follow"),
    path(f"@{ACCT}/unfollow", accounts.unfollow, name="unfollow"),
    path(f"@{ACCT}/block", accounts.block, name="block"),
    path(f"@{ACCT}/unblock", accounts.unblock, name="unblock"),
    path(f"@{ACCT}/mute", accounts.mute, name="mute"),
    path(f"@{ACCT}/unmute", accounts.unmute, name="unmute"),
    path(f"@{ACCT}/<int:post_id>", posts.thread, name="post"),
    path(f"@{ACCT}/<int:post_id>/edit", posts.edit, name="edit_post"),
    path(f"@{ACCT}/<int:post_id>/history", posts.history, name="post_history"),
    path(f"@{ACCT}/<int:post_id>/delete", posts.delete, name="delete_post"),
    path("users/<str:acct>", posts.profile_redirect, name="account_uri"),
    path("", include("confab.notifications.urls")),
    path("", include("confab.chats.urls")),
    path("", include("confab.curation.urls")),
    path("", include("confab.connections.urls")),
    path("", include("confab.events.urls")),
    path("", include("confab.insights.urls")),
    path("admin/", admin.site.urls),
    re_path(r"^media/(?P<path>.+)$", core.media, name="media"),
]
