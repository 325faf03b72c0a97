"""Participation on development plans under /beteiligung/ (citizens) and
/beteiligung/arbeit/ (planning staff)."""

from django.urls import path

from . import feeds, staff_views, views

app_name = "participation"
urlpatterns = [
    path("beteiligung/", views.plan_list, name="list"),
    path("beteiligung/neu.rss", feeds.NewPlansFeed(), name="rss"),
    path("beteiligung/neu.atom", feeds.NewPlansAtomFeed(), name="atom"),
    path("beteiligung/<int:pk>/", views.plan_detail, name="plan"),
    path("beteiligung/eingang/<str:token>/", views.receipt, name="receipt"),
    path("beteiligung/bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("beteiligung/arbeit/", staff_views.plans, name="staff-plans"),
    path("beteiligung/arbeit/<int:pk>/", staff_views.plan, name="staff-plan"),
    path(
        "beteiligung/arbeit/<int:pk>/stellungnahmen.csv", staff_views.export_csv, name="export-csv"
    ),
    path(
        "beteiligung/arbeit/<int:pk>/stellungnahmen.pdf", staff_views.export_pdf, name="export-pdf"
    ),
]
