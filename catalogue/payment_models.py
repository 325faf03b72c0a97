"""E-payment through a platform speaking FITKO's XBezahldienste interface (catalogue.xbezahl):
an authority's account at the platform and every payment transaction started there.

Imported by catalogue.models, so the app registry and the migrations see these models."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.net import validate_public_url

# Path parameters of the interface: 1–36 characters of letters, digits, "_" and "-".
XBEZAHL_ID = RegexValidator(
    r"^[A-Za-z0-9_-]{1,36}$",
    _("1 bis 36 Zeichen: Buchstaben, Ziffern, „_“ und „-“."),
)


class XBezahlAccount(models.Model):
    """How one authority takes online payments: the platform's base URL, the originator and
    endpoint IDs it assigned, and the credentials. Without an active account the authority's
    fees are invoiced (catalogue.payments.InvoiceProvider)."""

    class Auth(models.TextChoices):
        NONE = "none", _("keine (z. B. nur Client-Zertifikat am Proxy)")
        BASIC = "basic", _("HTTP Basic (Benutzer und Passwort)")
        OAUTH2 = "oauth2", _("OAuth 2.0 Client Credentials")

    authority = models.OneToOneField(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        on_delete=models.CASCADE,
        related_name="xbezahl_account",
    )
    base_url = models.URLField(
        _("Basis-URL"),
        max_length=500,
        validators=[validate_public_url],
        help_text=_("Basis-URL der XBezahldienste-Schnittstelle der Bezahlplattform."),
    )
    originator_id = models.CharField(
        _("Originator-ID"),
        max_length=36,
        validators=[XBEZAHL_ID],
        help_text=_("Kennung des Online-Dienstes, von der Plattform vergeben."),
    )
    endpoint_id = models.CharField(
        _("Endpoint-ID"),
        max_length=36,
        validators=[XBEZAHL_ID],
        help_text=_("Kennung der Behörde bei der Plattform, oft der AGS."),
    )
    auth = models.CharField(_("Anmeldung"), max_length=10, choices=Auth.choices, default=Auth.BASIC)
    username = models.CharField(_("Benutzer / Client-ID"), max_length=200, blank=True)
    secret = models.CharField(_("Passwort / Client-Secret"), max_length=500, blank=True)
    token_url = models.URLField(
        _("Token-URL (OAuth 2.0)"), max_length=500, blank=True, validators=[validate_public_url]
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("E-Payment-Zugang (XBezahldienste)")
        verbose_name_plural = _("E-Payment-Zugänge (XBezahldienste)")

    def __str__(self) -> str:
        return f"{self.authority} → {self.base_url}"


PAYMENT_METHODS = {
    "CREDITCARD": _("Kreditkarte"),
    "PAYPAL": "PayPal",
    "GIROPAY": "giropay",
    "PAYDIRECT": "paydirekt",
    "OTHER": _("andere Zahlart"),
}


class PaymentTransaction(models.Model):
    """One attempt to pay a fee on the platform. A failed or cancelled attempt stays for the
    record; the citizen may start another one. The platform's transaction reference is the
    Kassenzeichen the cash office books under."""

    class Status(models.TextChoices):
        # The interface's own values (INITIAL, PAYED, FAILED, CANCELED) …
        INITIAL = "INITIAL", _("Zahlung ausstehend")
        PAYED = "PAYED", _("bezahlt")
        FAILED = "FAILED", _("fehlgeschlagen")
        CANCELED = "CANCELED", _("abgebrochen")
        # … and ours: the platform did not answer the creation, or never confirmed in time.
        NOT_CREATED = "NOT_CREATED", _("nicht angelegt")
        EXPIRED = "EXPIRED", _("verfallen")

    payment = models.ForeignKey(
        "catalogue.Payment", on_delete=models.CASCADE, related_name="transactions"
    )
    # Where it was created: read back from there even if the authority's account changes.
    base_url = models.URLField(max_length=500)
    originator_id = models.CharField(max_length=36)
    endpoint_id = models.CharField(max_length=36)
    request_id = models.CharField(_("Request-ID"), max_length=36, unique=True)
    transaction_id = models.CharField(_("Transaktions-ID"), max_length=100, blank=True)
    kassenzeichen = models.CharField(_("Kassenzeichen"), max_length=100, blank=True)
    pay_url = models.URLField(max_length=2082, blank=True)
    status = models.CharField(
        _("Stand"), max_length=20, choices=Status.choices, default=Status.INITIAL
    )
    status_detail = models.CharField(max_length=500, blank=True)
    payment_method = models.CharField(_("Zahlart"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    check_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Zahlungstransaktion")
        verbose_name_plural = _("Zahlungstransaktionen")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="payment_tx_open")]

    def __str__(self) -> str:
        return self.kassenzeichen or self.request_id

    @property
    def payment_method_label(self) -> str:
        return str(PAYMENT_METHODS.get(self.payment_method, self.payment_method))
