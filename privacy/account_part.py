"""The account's own piece of the subject access archive (privacy.export): the Bürgerkonto
itself, its e-mail addresses, logins through other services and staff roles. Registered in
PrivacyConfig.ready() (privacy sits above accounts, so it may read them)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from accounts.models import Membership

from .export import Archive, Part, Subject

DESCRIPTION = """\
konto.json — ein Objekt:
  email, display_name (Anzeigename), first_name, last_name, preferred_language (Sprache des
  Portals und der E-Mails), assurance_level (Vertrauensniveau), date_joined (angelegt),
  last_login (letzte Anmeldung);
  email_addresses: Liste von {email, verified (bestätigt), primary (Hauptadresse)};
  external_logins: Anmeldungen über andere Dienste, Liste von {provider, uid, date_joined,
    last_login, extra_data (was der Dienst übermittelt hat)};
  roles: Rollen als Mitarbeitende, Liste von {authority (Stelle), role, since}.
"""


def write(subject: Subject, archive: Archive) -> None:
    user = subject.user
    if user is None:
        return
    archive.add_json(
        "konto.json",
        {
            "email": user.email,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
            "assurance_level": user.assurance_level,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "external_logins": [
                {
                    "provider": s.provider,
                    "uid": s.uid,
                    "date_joined": s.date_joined,
                    "last_login": s.last_login,
                    "extra_data": s.extra_data,
                }
                for s in SocialAccount.objects.filter(user=user).order_by("pk")
            ],
            "roles": [
                {"authority": m.authority.name, "role": m.get_role_display(), "since": m.created_at}
                for m in Membership.objects.filter(user=user).select_related("authority")
            ],
        },
    )


PART = Part("account", "Bürgerkonto", DESCRIPTION, write, order=10)
