"""The staff API and the staff pages share one action layer and one scoped lookup: the rules
about which duplicates a user sees, where a report may be forwarded and what the bulk status
change is called are the same through both."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client

from accounts.models import User
from tracker import selectors, services
from tracker.models import Report, Status
from tracker.staff import actions
from tracker.staff.forms import BulkForm
from tracker.staff.serializers import BulkSerializer

from .fixtures import World

pytestmark = pytest.mark.django_db

API = "/api/v1/staff"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_duplicates_at_another_authority_are_listed_in_neither(world: World) -> None:
    original, visible, foreign = world.report(), world.report(), world.report()
    for duplicate in (visible, foreign):
        services.report_mark_duplicate(duplicate, original=original, by=world.dispatcher)
    # The foreign duplicate is now another authority's report.
    Report.objects.filter(pk=foreign.pk).update(authority=world.gemeinde)
    client = client_for(world.dispatcher)

    api = client.get(f"{API}/reports/{original.pk}").json()["properties"]["duplicates"]
    page = client.get(f"/arbeit/meldungen/{original.pk}/")
    listed = [report.pk for report in page.context["duplicates"]]

    assert api == listed == [visible.pk]
    assert f"/arbeit/meldungen/{foreign.pk}/" not in page.content.decode()
    assert list(selectors.staff_duplicates(original, world.dispatcher)) == [visible]
    # Staff of the other authority see only theirs.
    other = client_for(world.gemeinde_dispatcher)
    Report.objects.filter(pk=original.pk).update(authority=world.gemeinde)
    assert other.get(f"{API}/reports/{original.pk}").json()["properties"]["duplicates"] == [
        foreign.pk
    ]


def test_the_current_authority_is_offered_as_forward_target_in_neither(world: World) -> None:
    report = world.report()
    client = client_for(world.dispatcher)

    api = [a["id"] for a in client.get(f"{API}/authorities", {"report": report.pk}).json()]
    page = client.get(f"/arbeit/meldungen/{report.pk}/")
    offered = [a.pk for a in page.context["forms"]["forward"].fields["authority"].queryset]

    assert api == offered == [world.gemeinde.pk]
    assert world.kreis.pk not in api
    # Without a report: every active authority (e.g. for an app's picker).
    everything = {a["id"] for a in client.get(f"{API}/authorities").json()}
    assert everything == {world.kreis.pk, world.gemeinde.pk}
    # Another authority's report is not the user's: 404, as everywhere in the staff API.
    foreign = world.report()
    Report.objects.filter(pk=foreign.pk).update(authority=world.gemeinde)
    assert client.get(f"{API}/authorities", {"report": foreign.pk}).status_code == 404


def test_forwarding_to_the_current_authority_is_refused_by_both(world: World) -> None:
    report = world.report()
    client = client_for(world.dispatcher)
    response = post_json(
        client, f"{API}/reports/{report.pk}/forward", {"authority": world.kreis.pk, "note": "x"}
    )
    assert response.status_code == 400
    assert "bereits" in json.dumps(response.json(), ensure_ascii=False)
    response = client.post(
        f"/arbeit/meldungen/{report.pk}/forward/",
        {"forward-authority": world.kreis.pk, "forward-note": "x"},
    )
    assert response.status_code == 400
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.authority_id, fresh.status) == (world.kreis.pk, Status.NEW)


def test_the_bulk_actions_have_the_same_names_in_both(world: World) -> None:
    names = list(actions.BULK_ACTIONS)
    assert "transition" in names and "status" not in names
    assert list(BulkSerializer().fields["action"].choices) == names  # type: ignore[attr-defined]
    world.report()  # the bulk form is shown with the queue's rows
    page = client_for(world.dispatcher).get("/arbeit/").content.decode()
    assert re.findall(r'name="bulk_action" value="([a-z]+)"', page) == names


def test_the_bulk_status_change_is_transition_through_both(world: World) -> None:
    through_api, through_page, old_name = world.report(), world.report(), world.report()
    client = client_for(world.dispatcher)
    response = post_json(
        client,
        f"{API}/reports/bulk",
        {"action": "transition", "reports": [through_api.pk], "status": "planned"},
    )
    assert response.json()["results"] == [{"id": through_api.pk, "ok": True, "error": ""}]
    client.post(
        "/arbeit/sammelaktion/",
        {"reports": [through_page.pk], "bulk-status": "planned", "bulk_action": "transition"},
    )
    # The page's old name still works (a page loaded before the rename).
    client.post(
        "/arbeit/sammelaktion/",
        {"reports": [old_name.pk], "bulk-status": "planned", "bulk_action": "status"},
    )
    planned = Report.objects.filter(status=Status.PLANNED).values_list("pk", flat=True)
    assert set(planned) == {through_api.pk, through_page.pk, old_name.pk}


def test_bulk_form_and_serializer_give_bulk_apply_the_same_parameters(world: World) -> None:
    report = world.report()
    data = QueryDict(mutable=True)
    data.update({"bulk_action": "merge", "bulk-original": world.report().reference})
    data.setlist("reports", [str(report.pk)])
    form = BulkForm(data, user=world.dispatcher)
    assert form.is_valid(), form.errors
    serializer = BulkSerializer(
        data={"action": "merge", "reports": [report.pk], "original": form.params()["original"].pk},
        context={"user": world.dispatcher},
    )
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["original"] == form.params()["original"]
    assert form.cleaned_data["action"] == serializer.validated_data["action"] == "merge"


def test_an_action_refuses_parameters_it_does_not_take(world: World) -> None:
    with pytest.raises(TypeError):
        actions.perform("take", world.report(), by=world.dispatcher, note="x")
