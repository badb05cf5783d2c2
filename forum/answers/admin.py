from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import FORMER_MEMBER
from forum.core.admin import StrictModelAdmin

from .models import Answer


@admin.register(Answer)
class AnswerAdmin(StrictModelAdmin):
    list_display = ("__str__", "by", "status", "score", "is_expert", "is_accepted", "created_at")
    list_filter = ("status", "is_expert")
    list_select_related = ("author",)
    exclude = ("body_html",)

    # A read-only view: text, status and counters change through the services (the moderation
    # desk, the author), which re-render, re-count and invalidate the pages that show them.
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Answer._meta.fields if field.name not in self.exclude]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("author"))
    def by(self, answer: Answer) -> str:
        return answer.author.username if answer.author is not None else FORMER_MEMBER

    def has_add_permission(self, request):
        return False
