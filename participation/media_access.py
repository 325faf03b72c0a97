"""Who may open the participation uploads (core.media rules): plan documents and results are
public once the plan is on display (before that its staff only); a statement's attachments
only its author and the plan's staff."""

from __future__ import annotations

from django.http import HttpRequest

from core.media import Access

from .models import PUBLIC_STATUSES, Plan, PlanDocument, PlanStatus, StatementAttachment
from .permissions import is_plan_staff


def _plan_access(request: HttpRequest, plan: Plan | None, public: bool) -> Access:
    if plan is None:
        return Access.DENIED
    if public:
        return Access.PUBLIC
    if is_plan_staff(request.user, plan.authority_id):
        return Access.PRIVATE
    return Access.DENIED


def document_access(request: HttpRequest, name: str) -> Access:
    document = PlanDocument.objects.select_related("plan").filter(file=name).first()
    plan = document.plan if document is not None else None
    return _plan_access(request, plan, plan is not None and plan.status in PUBLIC_STATUSES)


def result_access(request: HttpRequest, name: str) -> Access:
    plan = Plan.objects.filter(result_document=name).first()
    return _plan_access(request, plan, plan is not None and plan.status == PlanStatus.RESULT)


def statement_access(request: HttpRequest, name: str) -> Access:
    attachment = (
        StatementAttachment.objects.select_related("statement__plan").filter(file=name).first()
    )
    user = request.user
    if attachment is None or not user.is_authenticated:
        return Access.DENIED
    statement = attachment.statement
    if statement.author_id == user.pk or is_plan_staff(user, statement.plan.authority_id):
        return Access.PRIVATE
    return Access.DENIED
