from django.utils.functional import SimpleLazyObject

from .selectors import unread_notification_count


def member_space(request):
    """The header's "N unread" for a member's page: loaded with the member by the authentication
    backends, else one COUNT, read only if the page shows it; nothing for a visitor (whose pages
    are cached and must not differ by person)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if hasattr(user, "unread_count"):  # loaded with the member (forum/people/auth.py): no query
        return {"unread_notifications": user.unread_count}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_notification_count(user))}
