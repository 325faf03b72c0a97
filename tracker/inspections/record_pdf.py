"""The liability record as a signed PDF (reportlab).

"Signed" means: the PDF prints (1) the SHA-256 of the record's content — the CSV rendering of
the same entries, which anyone can download and hash again —, (2) the head of the hash chain
over all history rows at the time of printing and the result of checking the chain, and (3)
an HMAC-SHA256 over both made with the installation's SECRET_KEY, which only this server can
produce and check. It is not a qualified electronic signature (eIDAS); the authority may sign
the printout or the file in addition.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .record import Record


def _chain_text(record: Record) -> str:
    chain = record.chain
    if chain is None:
        return ""
    if chain.ok and chain.unsealed:
        return _(
            "Hash-Kette geprüft: in Ordnung (%(n)d Glieder); %(waiting)d neue Einträge warten "
            "auf die Versiegelung."
        ) % {"n": chain.checked, "waiting": chain.unsealed}
    if chain.ok:
        return _("Hash-Kette geprüft: in Ordnung (%(n)d Glieder).") % {"n": chain.checked}
    return _("Hash-Kette geprüft: GEBROCHEN bei Glied %(at)s — %(reason)s") % {
        "at": chain.broken_at,
        "reason": chain.reason,
    }


def _table(record: Record, small: object) -> Table:
    head = [_("Zeit"), _("Art"), _("Vorgang"), _("Eintrag"), _("Person"), _("Glied")]
    rows: list[list[object]] = [list(head)]
    for entry in record.entries:
        time, kind, subject, text, person, link, _hash = entry.row()
        rows.append(
            [
                time,
                Paragraph(escape(kind), small),
                Paragraph(escape(subject), small),
                Paragraph(escape(text), small),
                Paragraph(escape(person), small),
                link,
            ]
        )
    table = Table(
        rows, colWidths=[32 * mm, 32 * mm, 45 * mm, 95 * mm, 50 * mm, 16 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
            ]
        )
    )
    return table


def render(record: Record) -> bytes:
    buffer = io.BytesIO()
    segment = record.segment
    title = _("Nachweis der Verkehrssicherung")
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=f"{title} {segment}",
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    mono = styles["Code"].clone("mono", fontSize=8, leading=10)
    owner = segment.owner.name if segment.owner else "—"
    story: list[object] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                _("Straßenabschnitt %(segment)s (Nr. %(id)d), Baulastträger: %(owner)s")
                % {"segment": segment, "id": segment.pk, "owner": owner}
            ),
            styles["Heading2"],
        ),
        Paragraph(
            escape(
                _("Zeitraum %(start)s bis %(end)s; erstellt am %(now)s; %(n)d Einträge")
                % {
                    "start": record.start.strftime("%d.%m.%Y"),
                    "end": record.end.strftime("%d.%m.%Y"),
                    "now": timezone.localtime(record.created_at).strftime("%d.%m.%Y %H:%M"),
                    "n": len(record.entries),
                }
            ),
            styles["BodyText"],
        ),
        Spacer(1, 4 * mm),
        _table(record, small),
        Spacer(1, 6 * mm),
        Paragraph(escape(_("Prüfangaben")), styles["Heading3"]),
        Paragraph(escape(_chain_text(record)), styles["BodyText"]),
        Paragraph(escape(_("SHA-256 des Inhalts (CSV):")) + " " + record.sha256, mono),
        Paragraph(escape(_("Kopf der Hash-Kette:")) + " " + record.head, mono),
        Paragraph(escape(_("HMAC-SHA256 (Server-Schlüssel):")) + " " + record.hmac, mono),
    ]
    doc.build(story)
    return buffer.getvalue()
