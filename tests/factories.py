"""factory_boy factories and small geometry helpers shared by the tests."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon
from django.utils import timezone

from accounts.models import Membership, Role, User
from boundaries.models import Authority, BoundarySet, Level
from boundaries.sets import activate_set, store_boundary
from geo.models import Asset, AssetType, RoadClass, RoadSegment
from tracker.models import Category, Report, ReportEvent, ResponseTemplate, Team


def box(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> MultiPolygon:
    """A rectangle as a WGS84 MultiPolygon."""
    ring = (
        (min_lon, min_lat),
        (max_lon, min_lat),
        (max_lon, max_lat),
        (min_lon, max_lat),
        (min_lon, min_lat),
    )
    return MultiPolygon(Polygon(ring), srid=4326)


class AuthorityFactory(factory.django.DjangoModelFactory[Authority]):
    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"authority-{n}")
    level = Level.GEMEINDE
    email = factory.LazyAttribute(lambda o: f"{o.slug}@example.org")


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Kategorie {n}")
    level = Level.GEMEINDE


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Bauhof {n}")


class RoadFactory(factory.django.DjangoModelFactory[RoadSegment]):
    class Meta:
        model = RoadSegment

    geom = LineString((10.0, 53.0), (10.01, 53.0), srid=4326)
    road_class = RoadClass.GEMEINDESTRASSE


class AssetFactory(factory.django.DjangoModelFactory[Asset]):
    class Meta:
        model = Asset

    geom = Point(10.0, 53.0, srid=4326)
    asset_type = AssetType.STREETLIGHT
    external_id = factory.Sequence(lambda n: f"L-{n:05d}")


def territory(
    name: str,
    level: str,
    geom: MultiPolygon,
    boundary_set: BoundarySet | None = None,
    **fields: Any,
) -> Authority:
    """An authority with an active boundary (its level's set is created and activated on demand)."""
    authority = AuthorityFactory.create(name=name, level=level, **fields)
    if boundary_set is None:
        boundary_set = BoundarySet.objects.filter(level=level, is_active=True).first()
    if boundary_set is None:
        boundary_set = BoundarySet.objects.create(name=f"test-{level}", level=level)
        activate_set(boundary_set)
    store_boundary(boundary_set, authority, geom)
    return authority


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password("geheim-Passwort-42")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    authority = factory.SubFactory(AuthorityFactory)
    role = Role.DISPATCHER


class ResponseTemplateFactory(factory.django.DjangoModelFactory[ResponseTemplate]):
    class Meta:
        model = ResponseTemplate

    authority = factory.SubFactory(AuthorityFactory)
    title = factory.Sequence(lambda n: f"Baustein {n}")
    text = "Wir kümmern uns darum."


def staff(authority: Authority, *roles: str, email: str | None = None, **fields: Any) -> User:
    """A user with the given roles (default dispatcher) at `authority`."""
    user = UserFactory.create(**({"email": email} if email else {}), **fields)
    for role in roles or (Role.DISPATCHER,):
        MembershipFactory.create(user=user, authority=authority, role=role)
    return user


class ReportFactory(factory.django.DjangoModelFactory[Report]):
    """A confirmed report. `created_at` may be given (auto_now_add is overridden after save)."""

    class Meta:
        model = Report

    category = factory.SubFactory(CategoryFactory)
    authority = factory.SubFactory(AuthorityFactory)
    location = factory.LazyFunction(lambda: Point(10.0, 53.0, srid=4326))
    description = "Schlagloch"
    routing_reason = "boundary"
    reporter_email = factory.Sequence(lambda n: f"melder{n}@example.org")
    reporter_name = "Erika Mustermann"
    reporter_phone = "+49 4131 123456"
    confirmation_token = factory.Sequence(lambda n: f"confirm-{n:08d}")
    tracking_token = factory.Sequence(lambda n: f"track-{n:08d}")
    confirmed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class: type[Report], *args: Any, **kwargs: Any) -> Report:
        created_at = kwargs.pop("created_at", None)
        report = super()._create(model_class, *args, **kwargs)
        if created_at is not None:
            Report.objects.filter(pk=report.pk).update(created_at=created_at)
            report.created_at = created_at
        return report


class ReportEventFactory(factory.django.DjangoModelFactory[ReportEvent]):
    """A history entry; `created_at` may be given (auto_now_add is overridden after save)."""

    class Meta:
        model = ReportEvent

    report = factory.SubFactory(ReportFactory)
    kind = ReportEvent.Kind.STATUS

    @classmethod
    def _create(cls, model_class: type[ReportEvent], *args: Any, **kwargs: Any) -> ReportEvent:
        created_at = kwargs.pop("created_at", None)
        event = super()._create(model_class, *args, **kwargs)
        if created_at is not None:
            ReportEvent.objects.filter(pk=event.pk).update(created_at=created_at)
            event.created_at = created_at
        return event
