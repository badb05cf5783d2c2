"""What every ModelAdmin of ours shares: a strict allow-list of query-string lookups.

Django's `ModelAdmin.lookup_allowed` lets any lookup on a model's own fields through, reverse
relations included: `/admin/questions/question/?author=5` lists the questions member 5 asked
(anonymous ones too), `/admin/accounts/user/?questions=9` finds who asked question 9. Here a
lookup is allowed only when it filters on a field named in the admin's own `list_filter` (or
its `date_hierarchy`), by that field's value or, for a relation, its target's primary key
(`tags__id__exact`); a `SimpleListFilter` is allowed its own parameter. Anything else is a
`DisallowedModelAdminLookup`: a 400, never a filtered list.
"""

from django.contrib import admin
from django.contrib.admin.filters import SimpleListFilter
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP


def _field_path(model, lookup: str) -> list[str]:
    """The fields a lookup walks, by name, with a relation's final `pk`/`id` hop dropped
    (`tags__id__exact` → ["tags"]); what follows the fields (exact, isnull, year…) is not kept."""
    path, fields = [], []
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        path.append(field.name)
        fields.append(field)
        if not field.is_relation or field.related_model is None:
            break
        model = field.related_model
    if len(fields) >= 2 and fields[-2].is_relation and fields[-1].primary_key:
        path.pop()
    return path


class StrictLookupsMixin(admin.ModelAdmin):
    """Use with every ModelAdmin of ours (first in the bases, e.g. before Django's UserAdmin)."""

    def allowed_lookup_roots(self, request) -> tuple[set[str], set[str]]:
        """(field paths from list_filter and date_hierarchy, SimpleListFilter parameter names)."""
        paths: set[str] = set()
        params: set[str] = set()
        if self.date_hierarchy:
            paths.add(self.date_hierarchy)
        list_filter = self.get_list_filter(request) if request is not None else self.list_filter
        for item in list_filter:
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                if item.parameter_name:
                    params.add(item.parameter_name)
            elif isinstance(item, (list, tuple)) and isinstance(item[0], str):
                paths.add(item[0])
            elif isinstance(item, str):
                paths.add(item)
        return paths, params

    def lookup_allowed(self, lookup, value, request=None):
        paths, params = self.allowed_lookup_roots(request)
        if lookup in params:
            return True
        path = _field_path(self.model, lookup)
        return bool(path) and LOOKUP_SEP.join(path) in paths


class StrictModelAdmin(StrictLookupsMixin, admin.ModelAdmin):
    """A ModelAdmin with the strict lookup allow-list."""
