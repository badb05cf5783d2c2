"""Admin views of moderation data. Actions call the same services as the desk, so they are logged."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from . import services
from .models import CrisisResource, Flag, ModerationAction, Suspension, WatchedWord


def _each(modeladmin, request, queryset, action):
    done = 0
    for item in queryset:
        try:
            action(item)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{item}: {' '.join(error.messages)}", messages.WARNING)
    modeladmin.message_user(request, f"Done for {done} item(s); see the moderation log.")


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("__str__", "question_id", "answer_id", "created_at")
    list_filter = ("status", "reason")
    # Reporter identities stay out of the admin list; the desk shows "a member" or "a visitor".
    exclude = ("reporter", "reporter_hash")
    readonly_fields = ("question", "answer", "reason", "note", "status", "created_at", "handled_at")
    actions = ["dismiss"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Dismiss the reports on the selected posts", permissions=["change"])
    def dismiss(self, request, queryset):
        posts = {flag.post for flag in queryset.filter(status=Flag.Status.OPEN)}
        _each(self, request, posts, lambda post: services.flags_dismiss(moderator=request.user, post=post))


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "moderator", "kind", "question_id", "answer_id", "reason")
    list_filter = ("kind",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the database refuses anyway: the log is append-only


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    list_display = ("user", "ends_at", "lifted_at", "created_by", "reason")
    readonly_fields = ("user", "ends_at", "lifted_at", "created_by", "created_at", "reason")
    actions = ["lift"]

    def has_add_permission(self, request):
        return False  # suspend from the desk, which logs it

    @admin.action(description="Lift the selected suspensions", permissions=["change"])
    def lift(self, request, queryset):
        users = {s.user for s in queryset.filter(lifted_at__isnull=True)}
        _each(self, request, users, lambda user: services.user_unsuspend(moderator=request.user, user=user))


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):
    list_display = ("phrase", "action", "created_by", "created_at")
    list_filter = ("action",)
    fields = ("phrase", "action")

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.watched_word_add(moderator=request.user, phrase=obj.phrase, action=obj.action)

    def delete_model(self, request, obj):
        services.watched_word_remove(moderator=request.user, word=obj)

    def delete_queryset(self, request, queryset):
        for word in queryset:
            services.watched_word_remove(moderator=request.user, word=word)


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "contact", "url", "position")
    list_editable = ("position",)
