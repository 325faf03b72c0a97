"""Shipped texts of the legal pages (format: legal/markup.py). Shown until the operator saves
their own text in the admin. Placeholders in [square brackets] are the operator's to fill in.

The privacy text lists what this software really stores; keep it in step with the models."""

from __future__ import annotations

IMPRESSUM_DE = """\
# Anbieter
Dieses Portal (Mängelmelder) wird betrieben von:
[Name der Behörde, z. B. Landkreis Musterkreis]
[Straße und Hausnummer]
[Postleitzahl und Ort]

Die Behörde ist eine Körperschaft des öffentlichen Rechts. Sie wird vertreten durch [Name und Amtsbezeichnung, z. B. die Landrätin / den Landrat].

# Kontakt
Telefon: [Telefonnummer]
E-Mail: [E-Mail-Adresse]

# Aufsichtsbehörde
[Zuständige Aufsichtsbehörde, z. B. das Ministerium des Innern des Landes]

# Umsatzsteuer-Identifikationsnummer
[USt-IdNr. nach § 27a Umsatzsteuergesetz, falls vorhanden]

# Verantwortlich für den Inhalt
[Name, Anschrift wie oben]

# Software
Der Mängelmelder ist freie Software unter der Lizenz AGPL-3.0-or-later.
"""

IMPRESSUM_EN = """\
# Provider
This portal (Mängelmelder) is operated by:
[Name of the authority]
[Street and number]
[Postcode and town]

The authority is a public body, represented by [name and title].

# Contact
Phone: [phone number]
Email: [email address]

# Supervisory authority
[Supervisory authority]

# Responsible for the content
[Name, address as above]

# Software
Mängelmelder is free software under the AGPL-3.0-or-later licence.
"""

DATENSCHUTZ_DE = """\
# Verantwortliche Stelle
Verantwortlich für die Verarbeitung personenbezogener Daten in diesem Portal ist die im Impressum genannte Behörde.
Datenschutzbeauftragte oder Datenschutzbeauftragter: [Name, Anschrift, E-Mail-Adresse]

# Welche Daten wir speichern, wozu und wie lange

## Meldungen
Wenn Sie einen Mangel melden, speichern wir den Ort (Koordinaten und Ortsangabe), die Kategorie, Ihre Beschreibung und Ihre Fotos. Aus Fotos entfernen wir beim Hochladen die eingebetteten Metadaten (zum Beispiel Kamera- und Standortdaten); den Standort verwenden wir nur, wenn Sie ihn übernehmen.
Zweck: Bearbeitung des gemeldeten Mangels durch die zuständige Stelle und Information der Öffentlichkeit über den Bearbeitungsstand. Ort, Kategorie, Beschreibung und Bearbeitungsstand sind öffentlich sichtbar; Fotos veröffentlichen wir erst nach Prüfung.
Speicherdauer: Ihre Kontaktdaten werden eine von der zuständigen Stelle festgelegte Frist nach dem Abschluss der Meldung gelöscht (Vorgabe: 6 Monate), die Meldung selbst wird nach einer weiteren Frist anonymisiert (Vorgabe: 3 Jahre); Ort, Kategorie und Status bleiben für die Planung erhalten. Löschen Sie Ihr Konto, werden Ihre Angaben sofort von den Meldungen entfernt.

## Kontaktdaten ohne Konto
Melden Sie ohne Konto, speichern wir die von Ihnen angegebene E-Mail-Adresse und, falls angegeben, Namen und Telefonnummer. Sie dienen Rückfragen und Nachrichten zum Bearbeitungsstand und werden nicht veröffentlicht.
Speicherdauer: zusammen mit der Meldung. Nachrichten per E-Mail können Sie jederzeit über den Link in jeder E-Mail abbestellen.

## Bürgerkonto
Für ein Konto speichern wir Ihre E-Mail-Adresse, Ihr Passwort (nur als nicht umkehrbarer Hashwert), freiwillige Angaben wie Ihren Namen sowie, wenn Sie sich mit einem Servicekonto (zum Beispiel BundID) anmelden, dessen Kennung und das Vertrauensniveau. Speicherdauer: bis Sie das Konto löschen; das können Sie selbst unter „Mein Konto“ tun.

## Anträge und Postfach
Stellen Sie einen Antrag, speichern wir die Angaben des Antragsformulars, Ihre Anhänge, Zahlungsdaten zu Gebühren, den Bearbeitungsverlauf und die Nachrichten in Ihrem Postfach. Zweck: Durchführung des Verwaltungsverfahrens. Speicherdauer: nach den für das jeweilige Verfahren geltenden Aufbewahrungsfristen der zuständigen Stelle.

## Benachrichtigungen, Gebietsalarme und gefolgte Meldungen
Wenn Sie einer Meldung folgen oder einen Gebietsalarm einrichten, speichern wir dies mit Ihrem Konto (bei Gebietsalarmen das gezeichnete Gebiet), bis Sie es beenden oder Ihr Konto löschen. Abbestellungen speichern wir mit der E-Mail-Adresse, damit wir Sie nicht erneut anschreiben.

## E-Mail-Versand
Zu versendende Nachrichten werden in einer Warteschlange gespeichert, damit keine verloren geht. Erfolgreich versendete Nachrichten werden nach 30 Tagen gelöscht.

## Server-Protokolle und Cookies
Der Webserver protokolliert jeden Abruf mit IP-Adresse, Zeitpunkt, Adresse der Seite, Statuscode und Browserkennung, um den Betrieb zu sichern und Angriffe abzuwehren. Speicherdauer: [Frist der Protokolle, z. B. 7 Tage]. Fehlgeschlagene Anmeldeversuche speichern wir mit IP-Adresse und Anmeldenamen, um Passwort-Angriffe abzuwehren, bis eine Administratorin oder ein Administrator sie entfernt.
Wir setzen nur technisch notwendige Cookies (Anmeldung, Schutz von Formularen, Sprachwahl). Wir verwenden keine Analyse- oder Werbedienste. Die Hintergrundkarte wird von [Kartendienst, z. B. OpenStreetMap] geladen; dabei erhält dieser Dienst Ihre IP-Adresse.

# Rechtsgrundlagen
- Art. 6 Abs. 1 Buchstabe e DSGVO in Verbindung mit den Vorschriften über die Aufgaben der zuständigen Stelle (zum Beispiel Straßenrecht, Abfallrecht, Ordnungsrecht) für Meldungen und Anträge;
- Art. 6 Abs. 1 Buchstabe a DSGVO (Einwilligung) für freiwillige Angaben, Benachrichtigungen und Gebietsalarme; eine Einwilligung können Sie jederzeit widerrufen;
- Art. 6 Abs. 1 Buchstabe b DSGVO für das Bürgerkonto;
- Art. 6 Abs. 1 Buchstabe c und e DSGVO für Server-Protokolle und den Schutz vor Missbrauch.

# Empfänger
Ihre Meldung erhält die für den Ort und die Kategorie zuständige Stelle (zum Beispiel Gemeinde, Landkreis oder Straßenbaulastträger). Eine zuständige Stelle kann Meldungen über eine Open311-Schnittstelle oder einen Webhook an ihr eigenes Fachverfahren weiterleiten lassen. Anträge erhält die für die Leistung zuständige Stelle. Technische Dienstleister, die das Portal in unserem Auftrag betreiben, sind nach Art. 28 DSGVO gebunden: [Auftragsverarbeiter, z. B. Rechenzentrum].

# Ihre Rechte
Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und Widerspruch gegen die Verarbeitung (Art. 21 DSGVO). Wenden Sie sich dazu an die verantwortliche Stelle oder die bzw. den Datenschutzbeauftragten.
Sie haben außerdem das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren (Art. 77 DSGVO), zum Beispiel bei: [Landesbeauftragte oder Landesbeauftragter für den Datenschutz, Anschrift, Website].
"""

DATENSCHUTZ_EN = """\
# Controller
The authority named in the imprint is responsible for the processing of personal data in this portal.
Data protection officer: [name, address, email]

# What we store, why, and for how long

## Reports
When you report a problem we store the location (coordinates and address), the category, your description and your photos. Embedded metadata (camera and location data) are removed from photos on upload. Purpose: handling of the problem by the responsible authority and informing the public. Location, category, description and status are public; photos are published only after review. Reports are kept without a fixed deadline; personal data are removed when you delete your account.

## Contact data without an account
Without an account we store the email address you give and, if given, your name and phone number, for questions and status messages. They are never published and are kept with the report. You can unsubscribe from emails with the link in every email.

## Citizen account
Email address, password (as an irreversible hash), optional name, and for a service account login (e.g. BundID) its identifier and assurance level, until you delete the account yourself.

## Applications and postbox
Form data, attachments, fee payment data, the processing history and postbox messages, for the administrative procedure, kept according to the retention rules of the responsible authority.

## Notifications, area alerts and followed reports
Stored with your account until you end them or delete your account. Unsubscriptions are stored with the email address.

## Email delivery
Outgoing messages are queued so that none is lost; sent messages are deleted after 30 days.

## Server logs and cookies
The web server logs IP address, time, page, status and browser identification of each request for operation and security, kept for [period]. Failed logins are stored with IP address and login name to stop password attacks. Only technically necessary cookies are used (login, form protection, language). No analytics or advertising. The background map is loaded from [map service], which receives your IP address.

# Legal bases
- Art. 6(1)(e) GDPR with the laws on the authority's tasks, for reports and applications;
- Art. 6(1)(a) GDPR (consent) for optional data, notifications and area alerts; you may withdraw consent at any time;
- Art. 6(1)(b) GDPR for the citizen account;
- Art. 6(1)(c) and (e) GDPR for server logs and abuse protection.

# Recipients
The authority responsible for the place and category receives your report; it may forward reports to its own systems through Open311 or a webhook. Applications go to the authority responsible for the service. Processors operating the portal for us are bound by Art. 28 GDPR: [processors].

# Your rights
You have the right of access (Art. 15 GDPR), rectification (Art. 16), erasure (Art. 17), restriction (Art. 18), data portability (Art. 20) and to object (Art. 21). You may lodge a complaint with a supervisory authority (Art. 77 GDPR), e.g. [state data protection commissioner].
"""

BARRIEREFREIHEIT_DE = """\
# Erklärung zur Barrierefreiheit
[Name der Behörde] ist bemüht, dieses Portal im Einklang mit dem Behindertengleichstellungsgesetz und der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) zur Umsetzung der Richtlinie (EU) 2016/2102 barrierefrei zugänglich zu machen. Diese Erklärung gilt für das Portal Mängelmelder unter [Adresse des Portals].

# Stand der Vereinbarkeit mit den Anforderungen
Das Portal ist teilweise mit der BITV 2.0 vereinbar. Die Erklärung beruht auf einer Selbstbewertung vom [Datum].
Alle Funktionen lassen sich ohne Karte und ohne Maus bedienen: Ein Mangel kann über ein Formular mit Adresseingabe gemeldet werden, die Karte hat eine Listenansicht.

# Nicht barrierefreie Inhalte
- Die Karten (Meldekarte, Planungskarten, Lagebild) sind für blinde Menschen nicht vollständig nutzbar. Alternativen: Adresseingabe beim Melden, Listenansicht der Meldungen, Tabellen der Kennzahlen.
- Von Bürgerinnen und Bürgern hochgeladene Fotos haben keine Textbeschreibung.
- Als Datei herunterladbare Dokumente der zuständigen Stellen sind nicht in jedem Fall barrierefrei.

# Feedback und Kontakt
Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Oder benötigen Sie Informationen in einer barrierefreien Form? Dann wenden Sie sich bitte an:
[Name der Kontaktstelle]
E-Mail: [E-Mail-Adresse]
Telefon: [Telefonnummer]

# Schlichtungsverfahren und Durchsetzung
Wenn Sie auf Ihre Rückmeldung innerhalb von sechs Wochen keine zufriedenstellende Antwort erhalten, können Sie ein Schlichtungsverfahren einleiten. Bei Bundesbehörden ist das die Schlichtungsstelle nach § 16 BGG (https://www.schlichtungsstelle-bgg.de); bei Landes- und Kommunalbehörden die im Landesrecht bestimmte Stelle: [Schlichtungs- bzw. Durchsetzungsstelle des Landes, Anschrift, Website].
Das Verfahren ist kostenlos. Sie brauchen keinen Rechtsbeistand.
"""

BARRIEREFREIHEIT_EN = """\
# Accessibility statement
[Name of the authority] aims to make this portal accessible in accordance with the German BITV 2.0, implementing Directive (EU) 2016/2102.

# Compliance status
The portal is partially compliant. This statement is based on a self-assessment of [date]. Every function works without the map and without a mouse: reports can be filed with an address form, and the map has a list view.

# Non-accessible content
- The maps are not fully usable for blind people. Alternatives: address entry, list view, tables of figures.
- Photos uploaded by citizens have no text description.
- Documents of the authorities are not always accessible.

# Feedback and contact
[Contact office], email: [email address], phone: [phone number]

# Enforcement procedure
If you receive no satisfactory answer within six weeks, you can start a conciliation procedure: [conciliation or enforcement body of the state, address, website]. The procedure is free of charge.
"""

LEICHTE_SPRACHE_DE = """\
# Was ist der Mängelmelder?
Der Mängelmelder ist eine Internet-Seite.
Hier können Sie Probleme in Ihrem Ort melden.
Zum Beispiel:
- Ein Loch in der Straße.
- Eine kaputte Lampe.
- Müll im Wald.

# Wie melde ich ein Problem?
Klicken Sie oben auf: Melden.
Zeigen Sie auf der Karte, wo das Problem ist.
Sie können auch die Adresse schreiben.
Dann schreiben Sie: Was ist kaputt?
Sie können auch ein Foto schicken.
Zum Schluss klicken Sie auf: Absenden.

# Was passiert dann?
Das Amt bekommt Ihre Meldung.
Das Amt kümmert sich um das Problem.
Sie bekommen eine E-Mail.
In der E-Mail steht ein Link.
Mit dem Link sehen Sie: So weit ist das Amt.

# Wer sieht meine Meldung?
Alle Menschen können Ihre Meldung sehen.
Ihren Namen sehen sie nicht.
Ihre E-Mail-Adresse sehen sie nicht.
Ihr Foto sehen sie erst, wenn das Amt es geprüft hat.

# Wichtig
Bei Gefahr rufen Sie sofort an:
- Polizei: 110
- Feuerwehr und Rettungsdienst: 112

# Sie brauchen Hilfe?
Schreiben Sie uns eine E-Mail: [E-Mail-Adresse]
Oder rufen Sie uns an: [Telefonnummer]
"""

LEICHTE_SPRACHE_EN = """\
# What is Mängelmelder?
Mängelmelder is a website.
Here you can report problems in your town.
For example a hole in the road, a broken lamp or rubbish in the woods.

# How do I report a problem?
Click on "Report" at the top.
Show on the map where the problem is, or write the address.
Write what is broken. You can add a photo.
Then click "Send".

# What happens then?
The office gets your report and takes care of it.
You get an email with a link. The link shows how far the office is.

# Important
In danger, call at once: police 110, fire brigade and ambulance 112.

# Do you need help?
Email: [email address]
Phone: [phone number]
"""

DEFAULTS: dict[str, dict[str, str]] = {
    "impressum": {"de": IMPRESSUM_DE, "en": IMPRESSUM_EN},
    "datenschutz": {"de": DATENSCHUTZ_DE, "en": DATENSCHUTZ_EN},
    "barrierefreiheit": {"de": BARRIEREFREIHEIT_DE, "en": BARRIEREFREIHEIT_EN},
    "leichte-sprache": {"de": LEICHTE_SPRACHE_DE, "en": LEICHTE_SPRACHE_EN},
}
