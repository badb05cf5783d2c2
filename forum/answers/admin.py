from django.contrib import admin

from accounts.models import FORMER_MEMBER
from forum.core.admin import StrictModelAdmin

from .models import Answer


@admin.register(Answer)
class AnswerAdmin(StrictModelAdmin):
    list_display = ("__str__", "by", "status", "score", "is_expert", "is_accepted", "created_at")
    list_filter = ("status", "is_expert")
    list_select_related = ("author",)
    raw_id_fields = ("question", "author")
    exclude = ("body_html",)
    readonly_fields = ("score", "is_accepted", "created_at", "updated_at")

    @admin.display(description="author")
    def by(self, answer: Answer) -> str:
        return answer.author.username if answer.author is not None else FORMER_MEMBER

    def has_add_permission(self, request):
        return False
