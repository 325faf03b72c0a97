"""Forms of the staff pages (/arbeit/): the queue's filters and bulk actions and one form per
action on the staff report page. They only collect input: their cleaned data are the
parameters of tracker.staff.actions (ids resolved with the same staff selectors as the API's),
and the services check permissions and the workflow again."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from boundaries.models import Authority
from core import params
from tracker import permissions, selectors
from tracker.models import OPEN_STATUSES, Priority, Report, Status, Team
from tracker.services import MAX_NOTE

from . import actions

# Sort keys in the URL → ORDER BY. Ties are broken by id, so paging is stable.
SORTS: dict[str, tuple[str, ...]] = {
    "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"),
    "due_at": ("due_at", "id"),  # nulls last: PostgreSQL sorts NULL last ascending
    "-priority": ("-priority", "due_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
}
SORT_LABELS = (
    ("-created_at", _("Neueste zuerst")),
    ("created_at", _("Älteste zuerst")),
    ("due_at", _("Fälligkeit")),
    ("-priority", _("Priorität (höchste zuerst)")),
    ("-updated_at", _("Zuletzt bearbeitet")),
)
# The queue's moderation filter in the URL → tracker.selectors.staff_queue(moderation=…).
QUEUE_MODERATION = {"gemeldet": "flagged", "kommentare": "comments"}
STATUS_OPEN = ""  # the default: all open reports
STATUS_ALL = "alle"
TEAM_ALL = "alle"
TEAM_MINE = "meine"
TEAM_NONE = "ohne"
# Roles that work the whole authority's queue; a person with only the crew role starts on
# their own team(s).
QUEUE_WIDE_ROLES = frozenset({Role.DISPATCHER, Role.ADMIN, Role.PLANNER})

# Targets a bulk status change may have on the page: those with no more input than a note.
BULK_STATUSES = (Status.IN_REVIEW, Status.PLANNED, Status.IN_PROGRESS, Status.DONE)


def person_label(user: User) -> str:
    return f"{user.display_name} ({user.email})" if user.display_name else user.email


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class TeamChoiceField(forms.ModelChoiceField[Team]):
    def __init__(self, *args: Any, with_authority: bool = False, **kwargs: Any) -> None:
        self.with_authority = with_authority
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} ({obj.authority.name})" if self.with_authority else obj.name


def _note_field(label: Any, *, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string (a bookmark keeps them). Invalid
    values are ignored rather than refused: an old bookmark still opens a queue."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    category = forms.ChoiceField(label=_("Kategorie"), required=False)
    priority = forms.ChoiceField(label=_("Priorität"), required=False)
    road = forms.CharField(
        label=_("Straße (Nummer)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("z. B. K 12"), "autocomplete": "off"}),
    )
    overdue = forms.BooleanField(label=_("nur überfällige"), required=False)
    mine = forms.BooleanField(label=_("mir zugewiesen"), required=False)
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        required=False,
        choices=[
            ("", _("alle")),
            ("gemeldet", _("Missbrauch gemeldet")),
            ("kommentare", _("Kommentare warten auf Prüfung")),
        ],
    )
    sort = forms.ChoiceField(label=_("Sortierung"), required=False, choices=SORT_LABELS)

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data, auto_id="filter-%s")
        fields = self.fields
        fields["status"].choices = [  # type: ignore[attr-defined]
            (STATUS_OPEN, _("alle offenen")),
            (STATUS_ALL, _("alle")),
            *Status.choices,
        ]
        teams = list(selectors.staff_teams(user))
        several = len({t.authority_id for t in teams}) > 1
        own = sorted(permissions.team_ids(user)) if _has_crew_role(user) else []
        self.default_team = default_team(user, own)
        fields["team"].choices = [  # type: ignore[attr-defined]
            (TEAM_ALL, _("alle Teams")),
            *([(TEAM_MINE, _("meine Teams"))] if len(own) > 1 else []),
            (TEAM_NONE, _("ohne Team")),
            *((str(t.pk), f"{t.name} ({t.authority.name})" if several else t.name) for t in teams),
        ]
        self.user = user
        fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("alle Kategorien")),
            *((c.slug, c.name) for c in selectors.staff_categories()),
        ]
        fields["priority"].choices = [  # type: ignore[attr-defined]
            ("", _("alle Prioritäten")),
            *((str(value), label) for value, label in reversed(Priority.choices)),
        ]

    def values(self) -> dict[str, Any]:
        """The valid filters (invalid ones dropped) with their defaults."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or STATUS_OPEN,
            "team": data.get("team") or self.default_team,
            "category": data.get("category") or "",
            "priority": data.get("priority") or "",
            "road": (data.get("road") or "").strip(),
            "overdue": bool(data.get("overdue")),
            "mine": bool(data.get("mine")),
            "moderation": data.get("moderation") or "",
            "sort": data.get("sort") or "-created_at",
        }

    def team_label(self) -> str:
        """The chosen team filter in words ("Straßenmeisterei Nord", "meine Teams")."""
        choices = dict(self.fields["team"].choices)  # type: ignore[attr-defined]
        return str(choices.get(self.values()["team"], ""))

    def query_string(self, values: dict[str, Any], **override: Any) -> str:
        """The filters that differ from the defaults, as a query string (for links and
        bookmarks); `override` replaces some values (the "alle Teams" link)."""
        values = {**values, **override}
        params = [
            (key, str(values[key]))
            for key in ("status", "team", "category", "priority", "road", "moderation")
            if values[key] and not (key == "team" and values[key] == self.default_team)
        ]
        params += [(key, "1") for key in ("overdue", "mine") if values[key]]
        if values["sort"] != "-created_at":
            params.append(("sort", values["sort"]))
        return urlencode(params)

    @staticmethod
    def queue_kwargs(values: dict[str, Any], user: Any) -> dict[str, Any]:
        """The filters as keyword arguments of tracker.selectors.staff_queue."""
        kwargs: dict[str, Any] = {"order_by": SORTS[values["sort"]]}
        if values["status"] == STATUS_OPEN:
            kwargs["statuses"] = [str(s) for s in OPEN_STATUSES]
        elif values["status"] != STATUS_ALL:
            kwargs["statuses"] = [values["status"]]
        if values["team"] == TEAM_NONE:
            kwargs["unassigned"] = True
        elif values["team"] == TEAM_MINE:
            kwargs["team_ids"] = sorted(permissions.team_ids(user)) or [0]
        elif values["team"] != TEAM_ALL:
            kwargs["team_ids"] = [int(values["team"])]
        if values["category"]:
            kwargs["categories"] = [values["category"]]
        if values["priority"]:
            kwargs["priorities"] = [int(values["priority"])]
        if values["road"]:
            kwargs["road_ref"] = values["road"]
        if values["overdue"]:
            kwargs["overdue"] = True
        if values["mine"]:
            kwargs["assigned_to_id"] = user.pk
        if values["moderation"]:
            kwargs["moderation"] = QUEUE_MODERATION[values["moderation"]]
        return kwargs


def _has_crew_role(user: Any) -> bool:
    return any(Role.CREW in roles for roles in permissions.staff_roles(user).values())


def default_team(user: Any, own_teams: list[int]) -> str:
    """The queue's team filter when none is given: a crew member (no dispatching, admin or
    planning role anywhere) sees their own team, or "meine Teams" with several; everyone
    else all teams."""
    roles = set().union(*permissions.staff_roles(user).values()) if own_teams else set()
    if permissions.is_superuser(user) or Role.CREW not in roles or roles & QUEUE_WIDE_ROLES:
        return TEAM_ALL
    return str(own_teams[0]) if len(own_teams) == 1 else TEAM_MINE


def _parse_ids(raw: list[str]) -> list[int]:
    ids: list[int] = []
    for value in raw:
        if not params.is_int(value):
            raise ValidationError(_("Ungültige Auswahl."))
        ids.append(int(value))
    return ids


class BulkForm(forms.Form):
    """Bulk actions on the checked reports of the queue (dispatchers and admins). The button
    pressed names the action (tracker.staff.actions.BULK_ACTIONS)."""

    # What the page says when a parameter the action needs is missing.
    REQUIRED = {
        "status": _("Bitte wählen Sie den neuen Status."),
        "priority": _("Bitte wählen Sie die Priorität."),
        "original": _("Ursprüngliche Meldung nicht gefunden."),
    }

    team = TeamChoiceField(
        queryset=Team.objects.none(), label=_("Team"), required=False, empty_label=_("kein Team")
    )
    person = PersonChoiceField(
        queryset=User.objects.none(),
        label=_("Person"),
        required=False,
        empty_label=_("keine Person"),
    )
    status = forms.ChoiceField(
        label=_("Neuer Status"),
        required=False,
        choices=[("", "—"), *((s.value, s.label) for s in BULK_STATUSES)],
    )
    note = _note_field(_("Öffentliche Notiz zum Status (freiwillig)"), rows=2)
    priority = forms.TypedChoiceField(
        label=_("Priorität"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *reversed(Priority.choices)],
    )
    original = forms.CharField(
        label=_("Nummer der ursprünglichen Meldung"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "bulk")
        super().__init__(*args, **kwargs)
        self.user = user
        teams = selectors.staff_teams(user)
        team_field: TeamChoiceField = self.fields["team"]  # type: ignore[assignment]
        team_field.queryset = teams
        team_field.with_authority = selectors.works_for_several(user)
        self.fields["person"].queryset = selectors.bulk_assignable_users(user)  # type: ignore[attr-defined]
        self.report_ids: list[int] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = actions.bulk_action_name(self.data.get("bulk_action", ""))
        if action is None:
            raise ValidationError(_("Bitte wählen Sie eine Sammelaktion."))
        data["action"] = action
        try:
            self.report_ids = _parse_ids(self.data.getlist("reports"))  # type: ignore[attr-defined]
        except ValidationError:
            self.report_ids = []
        if not self.report_ids:
            raise ValidationError(_("Bitte wählen Sie mindestens eine Meldung aus."))
        if action == "merge" and data.get("original"):
            try:
                data["original"] = actions.resolve_original(self.user, data["original"])
            except ValidationError:
                data["original"] = None
        for name in actions.BULK_ACTIONS[action].required:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, self.REQUIRED[name])
        return data

    def params(self) -> dict[str, Any]:
        """The parameters of actions.bulk_apply (the action picks those it takes)."""
        data = self.cleaned_data
        return {name: value for name, value in data.items() if name != "action"}


class TransitionForm(forms.Form):
    """Status changes with a note: one submit button per allowed transition, plus one per
    response template (its text becomes the public note)."""

    note = _note_field(_("Notiz zur Statusänderung (freiwillig)"))
    public_note = forms.BooleanField(
        label=_("Notiz der meldenden Person zeigen (öffentlich)"), required=False, initial=True
    )
    prefix = "status"


class AssignForm(forms.Form):
    team = TeamChoiceField(
        queryset=Team.objects.none(), label=_("Team"), required=False, empty_label=_("kein Team")
    )
    person = PersonChoiceField(
        queryset=User.objects.none(),
        label=_("Person"),
        required=False,
        empty_label=_("keine Person"),
    )
    prefix = "assign"

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            authority_id=report.authority_id
        ).select_related("authority")
        self.fields["person"].queryset = selectors.assignable_users(report.authority_id)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial = {"team": report.assigned_team_id, "person": report.assigned_to_id}


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priorität"), coerce=int, choices=list(reversed(Priority.choices))
    )
    prefix = "priority"


class PrivacyForm(forms.Form):
    description_clean = forms.BooleanField(
        label=_("Beschreibung enthält keine personenbezogenen Daten"),
        required=False,
        help_text=_(
            "Dann bleibt sie erhalten, wenn die Meldung nach Ablauf der Frist anonymisiert wird."
        ),
    )
    prefix = "privacy"


class ForwardForm(forms.Form):
    authority: forms.ModelChoiceField[Authority] = forms.ModelChoiceField(
        queryset=Authority.objects.none(),  # set per report
        label=_("An Stelle"),
        empty_label=_("Bitte wählen"),
    )
    note = _note_field(_("Nachricht an die andere Stelle"), required=True)
    public_note = forms.BooleanField(
        label=_("Nachricht auch der meldenden Person zeigen (öffentlich)"), required=False
    )
    prefix = "forward"

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = selectors.forward_targets(report)  # type: ignore[attr-defined]


class DuplicateForm(forms.Form):
    original = forms.CharField(
        label=_("Nummer der ursprünglichen Meldung"),
        max_length=20,
        help_text=_("z. B. 2026-000042"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    note = _note_field(_("Notiz (freiwillig, öffentlich)"), rows=2)
    prefix = "duplicate"

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_original(self) -> Report:
        return actions.resolve_original(
            self.user,
            self.cleaned_data["original"],
            message=str(_("Keine Meldung Ihrer Stelle mit dieser Nummer gefunden.")),
        )


class RejectForm(forms.Form):
    reason = _note_field(_("Begründung (wird der meldenden Person gezeigt)"), required=True)
    prefix = "reject"


class NoteForm(forms.Form):
    text = _note_field(_("Notiz"), required=True)
    public = forms.BooleanField(
        label=_("als öffentlichen Kommentar veröffentlichen (die meldende Person wird informiert)"),
        required=False,
    )
    prefix = "note"

    def __init__(self, *args: Any, may_comment: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_comment:
            del self.fields["public"]


class PhotoForm(forms.Form):
    # Not marked as a required field: the page says when closing needs an "after" photo
    # (tracker.services.check_after_photo); an upload without a file is still refused.
    photo = forms.FileField(
        label=_("Foto nach der Erledigung"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    public = forms.BooleanField(label=_("Foto öffentlich zeigen"), required=False)
    prefix = "photo"

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if not photo:
            raise ValidationError(_("Bitte wählen Sie ein Foto aus."))
        return photo
