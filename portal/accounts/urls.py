"""HTML routes of the accounts app, under /accounts/."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from portal.accounts import views
from portal.lib import converters  # noqa: F401 - registers <id:...>

app_name = "accounts"

urlpatterns = [
    # Sign-up, log-in and e-mail verification
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "verify-email/resend/",
        views.resend_verification,
        name="resend_verification",
    ),
    path(
        "verify-email/<uidb64>/<token>/",
        views.verify_email,
        name="verify_email",
    ),
    # Passwords (Django's views)
    path("password/change/", views.password_change, name="password_change"),
    path(
        "password/change/done/",
        views.password_change_done,
        name="password_change_done",
    ),
    path("password/reset/", views.password_reset, name="password_reset"),
    path(
        "password/reset/done/",
        views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    # Profile
    path("profile/", views.profile, name="profile"),
    path("profile/reviewer/", views.reviewer_profile, name="reviewer_profile"),
    path("profile/token/", views.api_token, name="api_token"),
    path(
        "profile/token/<id:pk>/revoke/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    # Notifications
    path("notifications/", views.notifications, name="notifications"),
    path(
        "notifications/settings/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "notifications/read-all/",
        views.notifications_mark_all_read,
        name="notifications_mark_all_read",
    ),
    path(
        "notifications/<id:pk>/read/",
        views.notification_mark_read,
        name="notification_mark_read",
    ),
    # Organisations ("new" and "queue" are reserved slugs)
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/queue/", views.organisation_queue, name="organisation_queue"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path(
        "organisations/<slug:slug>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "organisations/<slug:slug>/members/",
        views.organisation_members,
        name="organisation_members",
    ),
    path(
        "organisations/<slug:slug>/members/add/",
        views.organisation_member_add,
        name="organisation_member_add",
    ),
    path(
        "organisations/<slug:slug>/members/<id:pk>/role/",
        views.organisation_member_role,
        name="organisation_member_role",
    ),
    path(
        "organisations/<slug:slug>/members/<id:pk>/remove/",
        views.organisation_member_remove,
        name="organisation_member_remove",
    ),
    path(
        "organisations/<slug:slug>/verify/",
        views.organisation_verify,
        name="organisation_verify",
    ),
    path(
        "organisations/<slug:slug>/reject/",
        views.organisation_reject,
        name="organisation_reject",
    ),
]
