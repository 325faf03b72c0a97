"""Reads of the catalogue, with the joins their pages need."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import User

from .models import Application, ApplicationEvent, Favourite, Message, Payment, Service


def active_services() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True)


def applications_of_user(user_id: int) -> QuerySet[Application]:
    """The citizen's own applications for "Meine Anliegen", newest first."""
    return (
        Application.objects.filter(applicant_id=user_id)
        .select_related("service", "authority", "payment")
        .order_by("-created_at", "-id")
    )


def application_for_applicant(user: User, pk: int) -> Application:
    """One application of this citizen (DoesNotExist for anyone else's)."""
    return _with_details(Application.objects.filter(applicant_id=user.pk)).get(pk=pk)


def staff_applications(user: User) -> QuerySet[Application]:
    """Applications at the user's authorities (all for superusers, none for everyone else):
    staff of another authority never see them."""
    applications = Application.objects.select_related(
        "service", "authority", "applicant", "payment"
    )
    if user.is_superuser:
        return applications
    return applications.filter(authority__memberships__user=user).distinct()


def application_for_staff(user: User, pk: int) -> Application:
    return _with_details(staff_applications(user)).get(pk=pk)


def _with_details(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("service", "authority", "applicant").prefetch_related(
        Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
        Prefetch(
            "messages",
            queryset=Message.objects.select_related("sender").prefetch_related("attachments"),
        ),
        "attachments",
    )


def favourite_services(user_id: int) -> QuerySet[Service]:
    ids = Favourite.objects.filter(user_id=user_id).values("service_id")
    return Service.objects.filter(pk__in=ids, is_active=True).order_by("name")


def payment_of(application: Application) -> Payment | None:
    """The application's fee payment, if it has one."""
    try:
        return application.payment
    except Payment.DoesNotExist:
        return None
