from django.utils.functional import SimpleLazyObject

from .selectors import unread_notification_count


def member_space(request):
    """The header's "N unread": one COUNT for a member's page, read only if the page shows it;
    nothing for a visitor (whose pages are cached and must not differ by person)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_notification_count(user))}
