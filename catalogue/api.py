"""JSON API of the catalogue: search with the responsible office at a place."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from boundaries.services import OutsideServiceArea, authorities_at
from core import params
from core.fastpath import public_data

from . import schema_forms, selectors, services
from .models import Application, Service
from .responsibility import Responsibility, responsibilities
from .search import QUERY_MAX_CHARS, find_services
from .search_answer import LIST_FIELDS, MAX_RESULTS, hits, search_answer, service_url_parts


def _point(data: Any) -> Point | None:
    """A point from `lat`/`lon` in query parameters or request data; None when both are
    missing; ValidationError (400) with German messages when they are not numbers."""
    lat, lon = data.get("lat"), data.get("lon")
    if lat is None and lon is None:
        return None
    errors: dict[str, list[str]] = {}
    values: dict[str, float] = {}
    for name, raw, limit in (("lat", lat, 90.0), ("lon", lon, 180.0)):
        try:
            value = float(str(raw if raw is not None else "").replace(",", "."))
        except ValueError:
            errors[name] = [_("Bitte eine Zahl angeben (Dezimalpunkt).")]
            continue
        if not -limit <= value <= limit:
            errors[name] = [_("Der Wert liegt außerhalb des gültigen Bereichs.")]
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return Point(values["lon"], values["lat"], srid=4326)


def _office(found: Responsibility | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "authority": {
            "id": found.authority.pk,
            "name": found.authority.name,
            "slug": found.authority.slug,
            "level": found.authority.level,
        },
        "detail": found.detail,
        "offered_online": found.offered_online,
        "email": found.email,
        "phone": found.phone,
        "website": found.website,
        "contact_note": found.contact_note,
        "fees": found.fees,
    }


def _service(service: Service, url: tuple[str, str]) -> dict[str, Any]:
    return {
        "slug": service.slug,
        "name": service.name,
        "summary": service.summary,
        "leika_key": service.leika_key,
        "level": service.level,
        "min_assurance": service.min_assurance,
        "is_online": service.is_online,
        "fees": service.fees,
        "processing_time": service.processing_time,
        "url": url[0] + service.slug + url[1],
    }


@public_data  # the same answer for everybody: past the session/CSRF stack (core/fastpath.py)
class ServiceListView(APIView):
    """Search the catalogue (German full text with synonyms); with lat/lon each hit carries
    the responsible office at that point."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []
    # The plain search (no place, valid q) as bytes, on the short path (catalogue/search_answer.py).
    public_answer = staticmethod(search_answer)

    @extend_schema(
        operation_id="services_list",
        parameters=[
            OpenApiParameter("q", str, description="z. B. „Hund“, „Umzug“, „Müll“"),
            OpenApiParameter("lat", float, description="Breite (WGS84)"),
            OpenApiParameter("lon", float, description="Länge (WGS84)"),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        query = params.text(request.query_params.get("q"), "q", max_length=QUERY_MAX_CHARS)
        point = _point(request.query_params)
        url = service_url_parts(request)
        if point is None:
            # Without a place no office is asked for: the rows go out as they come.
            results = hits(query, *url)
            return Response({"count": len(results), "results": results})
        found = find_services(query, limit=MAX_RESULTS, fields=LIST_FIELDS)
        offices: dict[int, Responsibility] = {}
        outside = ""
        covering = authorities_at(point)
        if covering:
            offices = responsibilities(found, covering)
        else:
            outside = str(OutsideServiceArea(point))
        results = []
        for service in found:
            item = _service(service, url)
            item["responsible"] = _office(offices.get(service.pk))
            results.append(item)
        body: dict[str, Any] = {"count": len(results), "results": results}
        if outside:
            body["place_error"] = outside
        return Response(body)


class ServiceDetailView(APIView):
    """One service with its online form (JSON Schema)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        operation_id="services_retrieve",
        parameters=[
            OpenApiParameter("lat", float, description="Breite (WGS84)"),
            OpenApiParameter("lon", float, description="Länge (WGS84)"),
        ],
        responses={200: dict},
    )
    def get(self, request: Request, slug: str) -> Response:
        service = get_object_or_404(selectors.active_services(), slug=slug)
        body = _service(service, service_url_parts(request))
        body.update(
            {
                "description": service.description,
                "keywords": service.keywords,
                "required_documents": service.document_list,
                "prerequisites": service.prerequisites,
                "deadlines": service.deadlines,
                "legal_basis": service.legal_basis,
                "links": service.links,
                "form_schema": service.form_schema if service.is_online else None,
            }
        )
        point = _point(request.query_params)
        if point is not None:
            covering = authorities_at(point)
            body["responsible"] = _office(responsibilities([service], covering).get(service.pk))
        return Response(body)


class ApplicationThrottle(UserRateThrottle):
    """The same per-account limit as the form (CATALOGUE_POST_RATE_PER_USER, default 30/h)."""

    scope = "catalogue_application"

    def get_rate(self) -> str:
        return str(getattr(settings, "CATALOGUE_POST_RATE_PER_USER", "30/h"))


class ApplicationCreateView(APIView):
    """File an online application as the logged-in citizen (session or token): JSON or
    multipart with the form's fields, `lat`/`lon` of the applicant's address, optional
    `address`, and the form's documents as files. 201 with reference, office and status;
    400 with German messages per field; 403 with a step-up hint below the service's level."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ApplicationThrottle]

    @extend_schema(request=dict, responses={201: dict, 400: dict, 403: dict})
    def post(self, request: Request, slug: str) -> Response:
        service = get_object_or_404(selectors.active_services(), slug=slug, is_online=True)
        point = _point(request.data) if "lat" in request.data or "lon" in request.data else None
        if point is None:
            raise ValidationError({"lat": [_("Bitte geben Sie den Ort Ihrer Anschrift an.")]})
        fields = {
            name: request.data.get(name)
            for name in service.form_schema.get("properties", {})
            if name in request.data
        }
        extra = set(request.data) - set(fields) - {"lat", "lon", "address"}
        extra -= {u["name"] for u in schema_forms.uploads_of(service.form_schema)}
        if extra:
            raise ValidationError({"": [_("Das Formular enthält unbekannte Felder.")]})
        uploads = [
            services.Upload(name, file, file.name or name)
            for name in (u["name"] for u in schema_forms.uploads_of(service.form_schema))
            for file in request.FILES.getlist(name)[:1]
        ]
        try:
            application = services.application_submit(
                service,
                applicant=request.user,  # type: ignore[arg-type]
                point=point,
                address=str(request.data.get("address", ""))[:300],
                data=fields,
                uploads=uploads,
            )
        except services.AssuranceTooLow as exc:
            return Response({"detail": exc.hint, "required_level": exc.required}, status=403)
        except services.ApplicationInvalid as exc:
            raise ValidationError(exc.errors) from exc
        except OutsideServiceArea as exc:
            raise ValidationError({"lat": [str(exc)]}) from exc
        return Response(
            {
                "id": application.pk,
                "reference": application.reference,
                "status": application.status,
                "authority": {
                    "id": application.authority.pk,
                    "name": application.authority.name,
                    "slug": application.authority.slug,
                },
                "routing_detail": application.routing_detail,
                "url": request.build_absolute_uri(
                    reverse("catalogue:application", args=[application.pk])
                ),
                # The fee, if any; "xbezahl": the citizen pays online on the page at `url`.
                "payment": _payment_out(application),
            },
            status=201,
        )


def _payment_out(application: Application) -> dict[str, Any] | None:
    payment = selectors.payment_of(application)
    if payment is None:
        return None
    return {
        "amount": str(payment.amount),
        "label": payment.label,
        "provider": payment.provider,
        "state": payment.state,
        "invoice_number": payment.invoice_number,
    }
