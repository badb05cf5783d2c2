"""The Django admin, behind the same door as the site: allauth's sign-in (its rate limits, its
second step) and, for every staff member including superusers, a session that passed MFA.

`ForumAdminConfig` replaces "django.contrib.admin" in INSTALLED_APPS, so `admin.site` and every
`@admin.register` use `ForumAdminSite`. Nothing here renders Django's own password form:
- `login` is wrapped by allauth's `secure_admin_login` (documented for exactly this): a visitor
  is sent to allauth's sign-in page, a signed-in member who is not staff gets 403;
- a signed-in staff member whose session did not pass MFA is sent to set up TOTP, or to enter a
  code (allauth's re-authentication, which records the MFA step in the session);
- `has_permission` (checked by every admin view) asks for that MFA step too.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.mfa import has_mfa, mfa_redirect, session_passed_mfa


class ForumAdminSite(admin.AdminSite):
    site_header = "Ask Freely administration"
    site_title = "Ask Freely admin"

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and has_mfa(request.user) and session_passed_mfa(request)

    def login(self, request, extra_context=None):
        from allauth.account.decorators import secure_admin_login

        return secure_admin_login(self._after_allauth_login)(request)

    def _after_allauth_login(self, request):
        """Reached only by a signed-in, active staff member (secure_admin_login saw to it)."""
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
        if not safe or next_url.startswith(reverse("admin:login", current_app=self.name)):
            next_url = index
        refused = mfa_redirect(request, next_url=next_url, who="Staff members")
        return refused if refused is not None else HttpResponseRedirect(next_url)


class ForumAdminConfig(AdminConfig):
    default_site = "forum.admin_site.ForumAdminSite"
