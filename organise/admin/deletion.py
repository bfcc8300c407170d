"""The delete page at any size: what goes with the chosen objects, counted per kind, never loaded row by row.

Django's delete page loads every row that would be deleted with the chosen one, to list each
(245,723 rows for a workshop of 3,000 participants, 10.7 s, only to say "cannot delete").
`deleted_objects_summary` answers the same questions with a fixed number of queries: it follows
the model graph (which relations cascade, which protect) and asks the database how many rows of
each kind go, whether any rows protect them (naming the first few), and whether the person may
delete them all. It falls back on Django's own listing (`deleted_objects_listed`) for the
relations it does not model (cycles, RESTRICT, multi-table inheritance, generic relations).
"""

from collections.abc import Callable

from django.contrib.admin.options import EMPTY_VALUE_STRING
from django.contrib.admin.utils import NestedObjects, display_for_value, quote
from django.db import models, router
from django.db.models import Q
from django.db.models.deletion import SKIP_COLLECTION, get_candidate_relations_to_delete
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

PROTECTED_SHOWN = 10  # protecting rows named per kind; the others are counted

# The rows of a model the person may delete, when an admin scopes them (None: ask the admin per row).
OwnedRows = Callable[[object, object], models.QuerySet | None]

DELETES = {models.CASCADE}
KEEPS = {models.SET_NULL, models.SET_DEFAULT, *SKIP_COLLECTION}


class _Unmodelled(Exception):
    """The model graph holds a relation the summary does not follow: Django's listing is used."""


def _graph(root) -> tuple[list, dict, dict]:
    """The models deleted with rows of `root` (in an order where each comes after those it hangs
    from), each one's cascading foreign keys, and each deleted model's protecting foreign keys."""
    cascades: dict[type, list] = {root: []}  # model -> [(parent model, field)]
    protects: dict[type, list] = {}  # protecting model -> [(protected model, field)]
    order, visiting = [], set()

    def visit(model):
        if model._meta.parents or any(hasattr(f, "bulk_related_objects") for f in model._meta.private_fields):
            raise _Unmodelled(model)
        visiting.add(model)
        for relation in get_candidate_relations_to_delete(model._meta):
            field, child = relation.field, relation.related_model
            on_delete = field.remote_field.on_delete
            if on_delete in DELETES:
                if child in visiting:
                    raise _Unmodelled(child)  # a cycle
                cascades.setdefault(child, []).append((model, field))
                if child not in order:
                    visit(child)
            elif on_delete is models.PROTECT:
                protects.setdefault(child, []).append((model, field))
            elif on_delete not in KEEPS and not getattr(on_delete, "lazy_sub_objs", False):
                raise _Unmodelled(field)  # RESTRICT, DB_CASCADE or a handler of the project's own
        visiting.discard(model)
        order.insert(0, model)

    visit(root)
    return order, cascades, protects


def deleted_objects_summary(objs, request, admin_site, *, owned: OwnedRows):
    """Django's `get_deleted_objects` answer, in queries that do not grow with the rows.

    Returns (the chosen objects, {kind: how many rows of it go}, kinds the person may not
    delete, the protecting rows: the first PROTECTED_SHOWN of each kind, then how many more).
    Only the chosen objects are listed, not every row deleted with them: the counts say that.
    """
    objs = list(objs)
    if not objs:
        return [], {}, set(), []
    root = type(objs[0])._meta.concrete_model
    try:
        order, cascades, protects = _graph(root)
    except _Unmodelled:
        return deleted_objects_listed(objs, request, admin_site, owned=owned)
    using = router.db_for_write(root)
    rows: dict[type, models.QuerySet] = {}
    for model in order:  # parents first
        condition = Q(pk__in=[obj.pk for obj in objs]) if model is root else Q(pk__in=[])
        for parent, field in cascades[model]:
            condition |= Q(**{f"{field.attname}__in": rows[parent].values(field.remote_field.field_name)})
        rows[model] = model._base_manager.using(using).filter(condition)

    perms_needed = set()
    lines = _Lines(request, admin_site, perms_needed)
    model_count = {}
    for model in order:
        count = rows[model].count()
        if count:
            model_count[model._meta.verbose_name_plural] = count
            lines.check_permission(model, rows[model], owned)
    protected = []
    for model, fields in protects.items():
        condition = Q(pk__in=[])
        for parent, field in fields:
            condition |= Q(**{f"{field.attname}__in": rows[parent].values(field.remote_field.field_name)})
        protecting = model._base_manager.using(using).filter(condition)
        count = protecting.count()
        if not count:
            continue
        lines.check_permission(model, protecting, owned)
        named = [field.name for field in model._meta.concrete_fields if field.is_relation]
        protected += [lines.line(obj) for obj in protecting.select_related(*named).order_by("pk")[:PROTECTED_SHOWN]]
        if count > PROTECTED_SHOWN:
            more = count - PROTECTED_SHOWN
            kind = model._meta.verbose_name if more == 1 else model._meta.verbose_name_plural
            protected.append(_("and %(count)d more %(kind)s") % {"count": more, "kind": kind})
    return [lines.line(obj) for obj in objs], model_count, perms_needed, protected


class _Lines:
    """How the delete page names a row ("Group: <a>A</a>"), and which kinds the person may not delete."""

    def __init__(self, request, admin_site, perms_needed: set):
        self.request, self.admin_site, self.perms_needed = request, admin_site, perms_needed

    def line(self, obj):
        opts = obj._meta
        no_edit_link = f"{capfirst(opts.verbose_name)}{_(':')} {obj}"  # French: "Participant : …"
        if not self.admin_site.is_registered(obj.__class__):
            return no_edit_link
        try:
            url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
        except NoReverseMatch:
            return no_edit_link
        obj_display = display_for_value(str(obj), EMPTY_VALUE_STRING)
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj_display)

    def check_permission(self, model, queryset, owned: OwnedRows):
        """Whether the person may delete every row of `queryset`: one query, whatever its size."""
        if not self.admin_site.is_registered(model):
            return
        model_admin = self.admin_site.get_model_admin(model)
        scope = owned(model_admin, self.request)
        if scope is None:
            # An admin outside the team scoping is asked about a row (the curriculum's ask about none).
            allowed = model_admin.has_delete_permission(self.request, queryset.first())
        else:
            allowed = model_admin.has_delete_permission(self.request) and not (
                queryset.exclude(pk__in=scope.values("pk")).exists()
            )
        if not allowed:
            self.perms_needed.add(model._meta.verbose_name)


class _NamingCollector(NestedObjects):
    """The delete page's collector, fetching each row with the rows it points to.

    The page names every object deleted along with the one chosen, and many names follow a
    foreign key (an assignment is "facilitator: group, session", an answer its question):
    without this, each name would cost a query or three.
    """

    def related_objects(self, related_model, related_fields, objs):
        pointed_to = [field.name for field in related_model._meta.concrete_fields if field.is_relation]
        return super().related_objects(related_model, related_fields, objs).select_related(*pointed_to)


def deleted_objects_listed(objs, request, admin_site, *, owned: OwnedRows):
    """Django's `get_deleted_objects` (every row listed), in a number of queries that does not grow.

    The same result as Django's, but rows are fetched with the rows their names show
    (`_NamingCollector`), and an organiser's right to delete each of them is asked of the
    database once per model instead of once per row (`request._owned_pks`, read by the admin's
    `_owns`). It loads every row: used only where `deleted_objects_summary` cannot follow the graph.
    """
    try:
        obj = objs[0]
    except IndexError:
        return [], {}, set(), []
    collector = _NamingCollector(using=router.db_for_write(obj._meta.model), origin=objs)
    collector.collect(objs)
    by_model = {model: {o.pk for o in model_objs} for model, model_objs in collector.model_objs.items()}
    for protected in collector.protected:
        by_model.setdefault(type(protected), set()).add(protected.pk)
    owned_pks = request.__dict__.setdefault("_owned_pks", {})
    for model, pks in by_model.items():
        scope = owned(admin_site.get_model_admin(model), request) if admin_site.is_registered(model) else None
        if scope is not None:
            owned_pks[model] = (pks, set(scope.filter(pk__in=pks).values_list("pk", flat=True)))
    perms_needed = set()
    lines = _Lines(request, admin_site, perms_needed)

    def format_callback(obj):
        model = obj.__class__
        if admin_site.is_registered(model) and not admin_site.get_model_admin(model).has_delete_permission(
            request, obj
        ):
            perms_needed.add(obj._meta.verbose_name)
        return lines.line(obj)

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {model._meta.verbose_name_plural: len(rows) for model, rows in collector.model_objs.items()}
    return to_delete, model_count, perms_needed, protected
