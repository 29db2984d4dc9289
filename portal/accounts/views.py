"""HTML views of the accounts app: parse, authorise, call a service, render.

Each view starts with a scoped fetch (``selectors.get_*_for_user``): 404 for
someone else's object, 403 for read-only access.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts import selectors, services
from portal.accounts.forms import (
    ApiTokenForm,
    MemberAddForm,
    MemberRoleForm,
    NotificationPreferencesForm,
    OrganisationCreateForm,
    OrganisationForm,
    OrganisationRejectForm,
    ProfileForm,
    ReviewerProfileForm,
    SignupForm,
)
from portal.accounts.models import Membership, Organisation, User

# The first back-end is django-axes, which cannot log a user in by itself.
_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
# One verification e-mail per user per minute.
_RESEND_INTERVAL_SECONDS = 60


def _add_errors(form: Form, exc: ValidationError) -> None:
    """Attach a service's validation errors to the form's fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _error_message(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


def _current_user(request: HttpRequest) -> User:
    """Return the logged-in user of a view behind ``login_required``."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _require_operator(request: HttpRequest) -> None:
    if not selectors.is_operator(request.user):
        raise PermissionDenied


# Sign-up, log-in and e-mail verification ----------------------------------------


class LoginView(auth_views.LoginView):
    """Django's log-in view that also switches to the user's language."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        _set_language_cookie(response, form.get_user().language)
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(**form.signup_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            auth_login(request, user, backend=_LOGIN_BACKEND)
            messages.success(
                request,
                _(
                    "Welcome! We have sent you an e-mail: follow its link to "
                    "confirm your address."
                ),
            )
            return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Show a confirmation button (GET) and verify the address (POST).

    GET changes nothing, so mail scanners that open links cannot use them up.
    """
    user = selectors.user_from_verification_link(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/verify_email_invalid.html", status=400)
    if request.method == "POST":
        try:
            services.user_verify_email(user=user, token=token)
        except ValidationError:
            return render(request, "accounts/verify_email_invalid.html", status=400)
        messages.success(request, _("Thank you: your e-mail address is confirmed."))
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return redirect("accounts:login")
    return render(request, "accounts/verify_email.html", {"verified_user": user})


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    if user.is_email_verified:
        messages.info(request, _("Your e-mail address is already confirmed."))
    elif not cache.add(f"verify-resend:{user.pk}", 1, _RESEND_INTERVAL_SECONDS):
        messages.warning(
            request, _("We sent you an e-mail a moment ago. Please wait a minute.")
        )
    else:
        services.email_verification_send(user=user)
        messages.success(
            request,
            _("We have sent a new confirmation link to %(email)s.")
            % {"email": user.email},
        )
    return redirect("accounts:profile")


# Django's password views with the portal's templates and namespaced URLs.
password_change = auth_views.PasswordChangeView.as_view(
    template_name="registration/password_change_form.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="registration/password_change_done.html"
)
password_reset = auth_views.PasswordResetView.as_view(
    template_name="registration/password_reset_form.html",
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)


# Profile ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        old_email = user.email
        try:
            services.user_profile_update(user=user, **form.profile_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            if user.email != old_email:
                messages.info(
                    request,
                    _("Please confirm your new address with the link we sent to it."),
                )
            response = redirect("accounts:profile")
            _set_language_cookie(response, user.language)
            return response
    context = {
        "form": form,
        "memberships": selectors.memberships_of(user, verified=False),
        "reviewer_profile": selectors.reviewer_profile_get(user=user),
        "active_tokens": selectors.api_token_active_count(user=user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_profile(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    current = selectors.reviewer_profile_get(user=user)
    form = ReviewerProfileForm.for_profile(current, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewer_profile_update(user=user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your reviewer profile has been saved."))
            return redirect("accounts:reviewer_profile")
    return render(
        request, "accounts/reviewer_profile.html", {"form": form, "profile": current}
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    """List the user's tokens (GET); create one and show its key once (POST)."""
    user = _current_user(request)
    # Bound on every POST, so that an empty one gets the form's errors.
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(user=user, **form.token_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": selectors.api_token_list(user=user),
        "new_key": new_key,
    }
    response = render(
        request,
        "accounts/api_token.html",
        context,
        status=400 if form.errors else 200,
    )
    if new_key is not None:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's tokens; htmx gets the updated row back."""
    token = selectors.get_api_token_for_user(request.user, pk)
    token = services.api_token_revoke(user=_current_user(request), token_id=token.pk)
    if getattr(request, "htmx", False):
        response = render(request, "accounts/_api_token_row.html", {"token": token})
    else:
        messages.success(
            request,
            _("The token “%(name)s” has been revoked.") % {"name": token.name},
        )
        response = redirect("accounts:api_token")
    patch_vary_headers(response, ["HX-Request"])
    return response


# Notifications --------------------------------------------------------------------


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    paginator = Paginator(selectors.notification_list(user=user), 20)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Which categories reach the user, in the portal and by e-mail."""
    user = _current_user(request)
    rows = selectors.notification_preference_rows(user=user)
    form = NotificationPreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_save(
                user=user, preferences=form.preferences()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("accounts:notification_preferences")
    return render(
        request,
        "accounts/notification_preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    count = services.notification_mark_all_read(user=user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("accounts:notifications")


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read; htmx gets the updated row back."""
    notification = selectors.get_notification_for_user(request.user, pk)
    services.notification_mark_read(notification=notification)
    if getattr(request, "htmx", False):
        response = render(
            request, "accounts/_notification_row.html", {"notification": notification}
        )
    else:
        response = redirect("accounts:notifications")
    patch_vary_headers(response, ["HX-Request"])
    return response


# Organisations --------------------------------------------------------------------


@require_GET
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = selectors.get_organisation_for_user(request.user, slug)
    membership = selectors.membership_in(request.user, org)
    operator = selectors.is_operator(request.user)
    members = None
    if membership is not None or operator:
        members = selectors.organisation_member_list(organisation=org)
    context = {
        "organisation": org,
        "membership": membership,
        "can_write": membership is not None and membership.can_write,
        "is_operator": operator,
        "members": members,
    }
    return render(request, "accounts/organisation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(creator=user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The organisation has been created. An operator will verify "
                    "it shortly."
                ),
            )
            return redirect(org)
    return render(request, "accounts/organisation_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    org = selectors.get_organisation_for_user(request.user, slug, write=True)
    form = OrganisationForm.for_organisation(org, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=org, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The organisation has been saved."))
            return redirect(org)
    return render(
        request, "accounts/organisation_edit.html", {"organisation": org, "form": form}
    )


def _render_members(
    request: HttpRequest, org: Organisation, add_form: MemberAddForm | None = None
) -> HttpResponse:
    acting = selectors.membership_in(request.user, org)
    context = {
        "organisation": org,
        "acting": acting,
        "is_owner": acting is not None and acting.role == Membership.Role.OWNER,
        "members": selectors.organisation_member_list(organisation=org),
        "add_form": add_form or MemberAddForm(),
        "roles": Membership.Role.choices,
    }
    return render(request, "accounts/organisation_members.html", context)


@login_required
@require_GET
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    org = selectors.get_organisation_for_user(request.user, slug, write=True)
    return _render_members(request, org)


@login_required
@require_POST
def organisation_member_add(request: HttpRequest, slug: str) -> HttpResponse:
    org = selectors.get_organisation_for_user(request.user, slug, write=True)
    user = _current_user(request)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(actor=user, organisation=org, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The member has been added."))
            return redirect("accounts:organisation_members", slug=org.slug)
    return _render_members(request, org, add_form=form)


@login_required
@require_POST
def organisation_member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = selectors.get_organisation_for_user(request.user, slug, write=True)
    membership = get_object_or_404(Membership, pk=pk, organisation=org)
    user = _current_user(request)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.membership_change_role(
                actor=user, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            _error_message(request, exc)
        else:
            messages.success(request, _("The role has been changed."))
    return redirect("accounts:organisation_members", slug=org.slug)


@login_required
@require_POST
def organisation_member_remove(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    org = selectors.get_organisation_for_user(request.user, slug, write=True)
    membership = get_object_or_404(Membership, pk=pk, organisation=org)
    user = _current_user(request)
    try:
        services.membership_remove(actor=user, membership=membership)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The member has been removed."))
        if membership.user_id == user.pk:
            return redirect("accounts:profile")
    return redirect("accounts:organisation_members", slug=org.slug)


@login_required
@require_GET
def organisation_queue(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    context = {"organisations": selectors.organisation_queue()}
    return render(request, "accounts/organisation_queue.html", context)


@login_required
@require_POST
def organisation_verify(request: HttpRequest, slug: str) -> HttpResponse:
    _require_operator(request)
    org = get_object_or_404(Organisation, slug=slug)
    user = _current_user(request)
    try:
        services.organisation_verify(organisation=org, operator=user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("%(name)s is now verified.") % {"name": org.name})
    return redirect("accounts:organisation_queue")


@login_required
@require_POST
def organisation_reject(request: HttpRequest, slug: str) -> HttpResponse:
    _require_operator(request)
    org = get_object_or_404(Organisation, slug=slug)
    user = _current_user(request)
    form = OrganisationRejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the rejection."))
    else:
        try:
            services.organisation_reject(
                organisation=org, operator=user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _error_message(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s has been rejected; its owners have been told why.")
                % {"name": org.name},
            )
    return redirect("accounts:organisation_queue")
