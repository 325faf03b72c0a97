"""Exports of a plan's statements for the consideration (Abwägung): CSV (one row per
statement, for a spreadsheet) and one PDF bundle (every statement with its text, place, tags,
answer and attachments: photos embedded, PDFs listed with name, size and SHA-256)."""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from . import selectors
from .models import Plan, Statement, StatementAttachment

MAX_IMAGE_WIDTH = 160 * mm
MAX_IMAGE_HEIGHT = 110 * mm


def _when(statement: Statement) -> str:
    return timezone.localtime(statement.submitted_at).strftime("%d.%m.%Y %H:%M")


def _author(statement: Statement) -> str:
    if statement.author is not None:
        name = statement.author.display_name or statement.author.get_full_name()
        return f"{name} <{statement.author.email}>" if name else statement.author.email
    return f"{statement.name} <{statement.email}>" if statement.name else statement.email


def _pin(statement: Statement) -> str:
    pin = statement.pin
    return f"{pin.y:.6f}, {pin.x:.6f}" if pin is not None else ""


def csv_text(plan: Plan) -> str:
    out = io.StringIO()
    # A BOM and semicolons: what German spreadsheet programs open without asking.
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Eingangsnummer"), _("Eingang"), _("Einsender/in"), _("Stellungnahme"),
            _("Ort (Breite, Länge)"), _("Schlagworte"), _("Stand"), _("Antwort"), _("Anlagen"),
        ]
    )  # fmt: skip
    for statement in selectors.staff_statements(plan):
        writer.writerow(
            [
                statement.receipt,
                _when(statement),
                _author(statement),
                statement.text,
                _pin(statement),
                ", ".join(statement.tags),
                statement.get_status_display(),
                statement.answer,
                ", ".join(a.original_name for a in statement.attachments.all()),
            ]
        )
    return out.getvalue()


def _paragraphs(text: str, style: object) -> list[Paragraph]:
    return [Paragraph(escape(line) or "&nbsp;", style) for line in text.splitlines()]


def _image(attachment: StatementAttachment) -> Image | None:
    try:
        with default_storage.open(attachment.file.name, "rb") as handle:
            data = io.BytesIO(handle.read())
        image = Image(data)
    except (OSError, ValueError):
        return None
    scale = min(MAX_IMAGE_WIDTH / image.imageWidth, MAX_IMAGE_HEIGHT / image.imageHeight, 1.0)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def _attachments(statement: Statement, styles: dict) -> list[object]:
    flow: list[object] = []
    for attachment in statement.attachments.all():
        label = _("Anlage: %(name)s (%(kb)s kB, SHA-256 %(hash)s)") % {
            "name": attachment.original_name,
            "kb": max(1, attachment.size // 1024),
            "hash": attachment.sha256,
        }
        flow.append(Paragraph(escape(label), styles["small"]))
        image = _image(attachment) if attachment.is_image else None
        if image is not None:
            flow += [image, Spacer(1, 3 * mm)]
    return flow


def _statement_flow(statement: Statement, styles: dict) -> list[object]:
    facts = [
        (_("Eingang"), _when(statement)),
        (_("Einsender/in"), _author(statement)),
        (_("Ort"), _pin(statement) or _("ohne Ortsangabe")),
        (_("Schlagworte"), ", ".join(statement.tags) or "–"),
        (_("Stand"), statement.get_status_display()),
    ]
    flow: list[object] = [
        Paragraph(escape(_("Stellungnahme %(r)s") % {"r": statement.receipt}), styles["h2"])
    ]
    flow += [Paragraph(f"<b>{escape(k)}:</b> {escape(v)}", styles["small"]) for k, v in facts]
    flow.append(Spacer(1, 2 * mm))
    flow += _paragraphs(statement.text, styles["body"])
    if statement.answer:
        flow.append(Paragraph(f"<b>{escape(_('Antwort / Abwägung'))}</b>", styles["body"]))
        flow += _paragraphs(statement.answer, styles["body"])
    flow += _attachments(statement, styles)
    return [KeepTogether(flow[:8]), *flow[8:], Spacer(1, 6 * mm)]


def pdf_bytes(plan: Plan) -> bytes:
    base = getSampleStyleSheet()
    styles = {"h1": base["Heading1"], "h2": base["Heading2"], "body": base["BodyText"]}
    styles["small"] = base["BodyText"].clone("small", fontSize=8.5, leading=11)
    statements = list(selectors.staff_statements(plan))
    start = timezone.localtime(plan.display_start).strftime("%d.%m.%Y")
    period = f"{start} – {timezone.localtime(plan.display_end).strftime('%d.%m.%Y')}"
    flow: list[object] = [
        Paragraph(
            escape(_("Stellungnahmen zum Bebauungsplan %(p)s") % {"p": str(plan)}), styles["h1"]
        ),
        Paragraph(escape(f"{plan.authority.name} · {_('Auslegung')} {period}"), styles["body"]),
        Paragraph(
            escape(
                _("%(n)s Stellungnahmen, Stand %(now)s")
                % {"n": len(statements), "now": timezone.localtime().strftime("%d.%m.%Y %H:%M")}
            ),
            styles["body"],
        ),
        PageBreak(),
    ]
    for statement in statements:
        flow += _statement_flow(statement, styles)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Stellungnahmen %(p)s") % {"p": str(plan)},
        author=plan.authority.name,
    )
    document.build(flow)
    return buffer.getvalue()
