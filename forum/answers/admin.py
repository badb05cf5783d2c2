from django.contrib import admin

from .models import Answer


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "author", "status", "score", "is_expert", "is_accepted", "created_at")
    list_filter = ("status", "is_expert")
    raw_id_fields = ("question", "author")
    exclude = ("body_html",)
    readonly_fields = ("score", "is_accepted", "created_at", "updated_at")

    def has_add_permission(self, request):
        return False
