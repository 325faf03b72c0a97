"""The catalogue's piece of the subject access archive (privacy.export, registered in
CatalogueConfig.ready): the person's applications with their form data, attachments, postbox
messages, public history and payment, plus her remembered services and saved place.
Applications need an account, so guests have nothing here."""

from __future__ import annotations

from typing import Any

from privacy.export import Archive, Part, Subject

from .models import Application, Favourite, SamlIdentity, SavedPlace

DESCRIPTION = """\
antraege.json — Liste Ihrer Anträge, je ein Objekt:
  reference (Aktenzeichen), service (Dienstleistung), authority (zuständige Stelle), status,
  created_at, updated_at, address (Anschrift), location ([Längengrad, Breitengrad]),
  data (Ihre Angaben im Formular, Feldname: Wert);
  attachments: Anlagen zum Antrag, Liste von {file (Pfad im Archiv, Ordner antraege/),
    original_name, field (Formularfeld), content_type, size, created_at};
  messages: Postfach, Liste von {from_authority (von der Stelle), body, created_at,
    attachments (wie oben)};
  history: für Sie sichtbarer Verlauf, Liste von {kind, from_status, to_status, note,
    created_at};
  payment: Gebühr {amount, label, provider, state, invoice_number, due_date, paid_at} oder null.
antraege/<Aktenzeichen>/… — Ihre Anlagen und die Anlagen der Postfachnachrichten.
dienstleistungen.json — ein Objekt: favourites (gemerkte Dienstleistungen, Liste von
  {service, created_at}); saved_place (gespeicherte Anschrift {label, location} oder null);
  bundid_logins (mit Ihrem Konto verknüpfte BundID-Anmeldungen, Liste von {issuer
  (Identitätsanbieter), subject (Ihre Kennung dort, bPK2), level (Vertrauensniveau der letzten
  Anmeldung), created_at, last_login_at}).
"""


def _attachment(item: Any, reference: str, archive: Archive) -> dict[str, Any]:
    path = archive.add_file(f"antraege/{reference}/{item.original_name}", item.file.name)
    return {
        "file": path,
        "original_name": item.original_name,
        "field": item.field,
        "content_type": item.content_type,
        "size": item.size,
        "created_at": item.created_at,
    }


def _payment(application: Application) -> dict[str, Any] | None:
    payment = getattr(application, "payment", None)
    if payment is None:
        return None
    return {
        "amount": payment.amount,
        "label": payment.label,
        "provider": payment.provider,
        "state": payment.state,
        "invoice_number": payment.invoice_number,
        "due_date": payment.due_date,
        "paid_at": payment.paid_at,
    }


def _application(application: Application, archive: Archive) -> dict[str, Any]:
    ref = application.reference
    direct = application.attachments.filter(message__isnull=True).order_by("pk")
    messages = [
        {
            "from_authority": m.from_authority,
            "body": m.body,
            "created_at": m.created_at,
            "attachments": [_attachment(a, ref, archive) for a in m.attachments.order_by("pk")],
        }
        for m in application.messages.order_by("created_at", "pk")
    ]
    return {
        "reference": ref,
        "service": application.service.name,
        "authority": application.authority.name,
        "status": application.status,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "address": application.address,
        "location": application.location,
        "data": application.data,
        "attachments": [_attachment(a, ref, archive) for a in direct],
        "messages": messages,
        "history": [
            {
                "kind": e.kind,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "created_at": e.created_at,
            }
            for e in application.events.filter(is_public=True).order_by("created_at", "pk")
        ],
        "payment": _payment(application),
    }


def write(subject: Subject, archive: Archive) -> None:
    user = subject.user
    if user is None:
        return
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("service", "authority", "payment")
        .order_by("created_at", "pk")
    )
    archive.add_json("antraege.json", [_application(a, archive) for a in applications])
    place = SavedPlace.objects.filter(user=user).first()
    archive.add_json(
        "dienstleistungen.json",
        {
            "favourites": [
                {"service": f.service.name, "created_at": f.created_at}
                for f in Favourite.objects.filter(user=user).select_related("service")
            ],
            "saved_place": {"label": place.label, "location": place.location} if place else None,
            "bundid_logins": [
                {
                    "issuer": i.issuer,
                    "subject": i.subject,
                    "level": i.level,
                    "created_at": i.created_at,
                    "last_login_at": i.last_login_at,
                }
                for i in SamlIdentity.objects.filter(user=user).order_by("pk")
            ],
        },
    )


PART = Part("applications", "Anträge und Postfach", DESCRIPTION, write, order=30)
