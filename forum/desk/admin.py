"""Admin views of moderation data. Actions call the same services as the desk, so they are logged.

None of these pages names the author of an anonymous question: log entries and suspensions that
came from one say "the author of question #N" (see `member_label`), reporters are left out, and
query-string lookups are limited to each admin's own filters (forum.core.admin).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from forum.core import effects
from forum.core.admin import StrictModelAdmin
from forum.core.pagecache import EVERYTHING
from forum.moderation.models import (
    FORMER_MODERATOR,
    CannedReason,
    CrisisResource,
    Flag,
    ModerationAction,
    Suspension,
    WatchedWord,
)

from . import services

# Keys the log's `details` may show; anything else (present or future) stays out of the admin.
SHOWN_DETAILS = ("days", "hours", "duplicate_of", "phrase", "action", "from_topics", "to_topics")


def _each(modeladmin, request, items, action, label=str):
    done = 0
    for item in items:
        try:
            action(item)
            done += 1
        except ValidationError as error:
            problem = gettext("%(item)s: %(problem)s") % {"item": label(item), "problem": " ".join(error.messages)}
            modeladmin.message_user(request, problem, messages.WARNING)
    modeladmin.message_user(request, gettext("Done for %(count)s item(s); see the moderation log.") % {"count": done})


def _moderator(user) -> str:
    return user.username if user is not None else gettext(FORMER_MODERATOR)


@admin.register(Flag)
class FlagAdmin(StrictModelAdmin):
    list_display = ("__str__", "question_id", "answer_id", "comment_id", "created_at")
    list_filter = ("status", "reason")
    # Reporter identities stay out of the admin list; the desk shows "a member" or "a visitor".
    exclude = ("reporter", "reporter_hash")
    readonly_fields = ("question", "answer", "comment", "reason", "note", "status", "created_at", "handled_at")
    actions = ["dismiss"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Dismiss the reports on the selected posts"), permissions=["change"])
    def dismiss(self, request, queryset):
        posts = {flag.post for flag in queryset.filter(status=Flag.Status.OPEN)}
        _each(self, request, posts, lambda post: services.flags_dismiss(moderator=request.user, post=post))


@admin.register(ModerationAction)
class ModerationActionAdmin(StrictModelAdmin):
    list_display = ("created_at", "who", "kind", "about", "reason")
    list_filter = ("kind",)
    date_hierarchy = "created_at"
    list_select_related = ("moderator", "question", "target_user")
    # Only computed fields: `target_user` and the raw details are never printed as they are.
    fields = readonly_fields = ("created_at", "who", "kind", "about", "reason", "shown_details")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moderator", "question", "target_user")

    @admin.display(description=_("moderator"))
    def who(self, action: ModerationAction) -> str:
        return action.moderator_label

    @admin.display(description=pgettext_lazy("the log: what an action was about", "on"))
    def about(self, action: ModerationAction) -> str:
        return action.subject_label

    @admin.display(description=_("details"))
    def shown_details(self, action: ModerationAction) -> str:
        details = action.details if isinstance(action.details, dict) else {}
        return ", ".join(f"{key}: {details[key]}" for key in SHOWN_DETAILS if key in details)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the database refuses anyway: the log is append-only


@admin.register(Suspension)
class SuspensionAdmin(StrictModelAdmin):
    # No `user` column, filter or search: a suspension that came from an anonymous question
    # shows "the author of question #N" instead (Suspension.who_label).
    list_display = ("__str__", "who", "ends_at", "lifted_at", "by", "reason")
    list_select_related = ("user", "created_by", "question")
    fields = readonly_fields = ("who", "ends_at", "lifted_at", "by", "created_at", "reason")
    actions = ["lift"]

    @admin.display(description=_("suspended"))
    def who(self, suspension: Suspension) -> str:
        return suspension.who_label

    @admin.display(description=pgettext_lazy("who made it", "by"))
    def by(self, suspension: Suspension) -> str:
        return _moderator(suspension.created_by)

    def has_add_permission(self, request):
        return False  # suspend from the desk, which logs it

    @admin.action(description=_("Lift the selected suspensions"), permissions=["change"])
    def lift(self, request, queryset):
        # As on the desk: a suspension that came from an anonymous question is lifted through
        # that question (whoever its author is), any other by the member's name.
        current = {}
        for suspension in queryset.filter(lifted_at__isnull=True).select_related("user", "question"):
            through_question = suspension.question is not None and suspension.question.is_anonymous
            current.setdefault(("question", suspension.question_id) if through_question else suspension.user_id,
                               suspension)  # fmt: skip
        _each(self, request, current.values(), lambda suspension: _lift(request.user, suspension),
              label=lambda suspension: suspension.who_label)  # fmt: skip


def _lift(moderator, suspension: Suspension) -> int:
    if suspension.question is not None and suspension.question.is_anonymous:
        return services.question_author_unsuspend(moderator=moderator, question=suspension.question)
    return services.user_unsuspend(moderator=moderator, user=suspension.user)


@admin.register(WatchedWord)
class WatchedWordAdmin(StrictModelAdmin):
    list_display = ("phrase", "action", "added_by", "created_at")
    list_filter = ("action",)
    list_select_related = ("created_by",)
    fields = ("phrase", "action")

    @admin.display(description=_("added by"))
    def added_by(self, word: WatchedWord) -> str:
        return _moderator(word.created_by)

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
class CrisisResourceAdmin(StrictModelAdmin):
    """Kept by moderators (the moderators group may add, change and view; deleting stays with the
    admins). Each save forgets every visitor's cached page: sensitive threads show the lines, and
    /help/ lists them all (pagecache EVERYTHING)."""

    list_display = ("name", "language", "country", "contact", "url", "position")
    list_editable = ("position",)
    list_filter = ("language", "country")
    search_fields = ("name", "description", "contact")
    fields = ("name", "description", "contact", "url", "language", "country", "position")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        effects.pages_changed(EVERYTHING)  # shown on sensitive threads and the ask page

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        effects.pages_changed(EVERYTHING)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        effects.pages_changed(EVERYTHING)


@admin.register(CannedReason)
class CannedReasonAdmin(StrictModelAdmin):
    """Kept by moderators with the permission (the moderators group has add, change and view);
    each change is in the admin's own history (LogEntry). A reason is retired by unticking
    "active": the log keeps the text that was used, never a link to this row."""

    list_display = ("label", "use", "text", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("use", "is_active")
    fields = ("label", "text", "use", "position", "is_active")
