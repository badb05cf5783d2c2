from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.options import get_content_type_for_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from forum.core.admin import StrictLookupsMixin

from .selectors import account_deletion_summary
from .services import account_delete


@admin.register(User)
class UserAdmin(StrictLookupsMixin, DjangoUserAdmin):
    list_display = ("username", "email", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "email")
    ordering = ("-date_joined",)
    fieldsets = (
        (None, {"fields": ("username", "email", "password")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),)

    # --- deleting: through the service, which follows the written policy ----------------------

    def get_deleted_objects(self, objs, request):
        """What the confirmation page lists: only what account_delete removes. Django's own list
        would walk every related row — the member's anonymous questions among them."""
        accounts = gettext("accounts")
        deleted, totals = [], {accounts: 0}
        for user in objs:
            totals[accounts] += 1
            items = []
            for label, count in account_deletion_summary(user):
                if count:
                    shown = gettext(label)  # gettext_noop'd in the selector
                    items.append(f"{count} {shown}")
                    totals[shown] = totals.get(shown, 0) + count
            items.append(gettext("every session signed in as them"))
            deleted += [gettext("Account: %(name)s") % {"name": user.username}, items]
        return deleted, totals, set(), []

    def delete_model(self, request, obj):
        account_delete(user=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for user in queryset:
                account_delete(user=user, by=request.user)

    def log_deletions(self, request, queryset):
        """The admin's history keeps that an account was deleted, not the name it had."""
        content_type = get_content_type_for_model(self.model)
        return [
            LogEntry.objects.create(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=str(user.pk),
                object_repr=f"member account #{user.pk}",  # as account_delete leaves the earlier entries
                action_flag=DELETION,
            )
            for user in queryset
        ]
