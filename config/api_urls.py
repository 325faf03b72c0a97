"""The REST API under /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from boundaries import api as boundaries_api
from boundaries import places
from boundaries.reverse import ReverseView
from catalogue import api as catalogue_api
from events import api as events_api
from events import council_api
from geo import api as geo_api
from participation import api as participation_api
from planning import api as planning_api
from tracker import abuse as tracker_abuse
from tracker import api as tracker_api
from tracker.locate import LocateView
from tracker.staff import api as staff_api
from waste import api as waste_api

app_name = "api"
urlpatterns = [
    path("locate", LocateView.as_view(), name="locate"),
    path("categories", tracker_api.CategoryListView.as_view(), name="categories"),
    path("reports", tracker_api.ReportListCreateView.as_view(), name="reports"),
    path("reports/nearby", tracker_api.NearbyReportsView.as_view(), name="reports-nearby"),
    path("reports/<int:pk>", tracker_api.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/support", tracker_api.SupportView.as_view(), name="report-support"),
    path("reports/<int:pk>/abuse", tracker_abuse.ReportAbuseView.as_view(), name="report-abuse"),
    path("photos/location", tracker_api.PhotoLocationView.as_view(), name="photo-location"),
    path("boundaries", boundaries_api.BoundariesView.as_view(), name="boundaries"),
    path("roads", geo_api.RoadsView.as_view(), name="roads"),
    path("assets", geo_api.AssetsView.as_view(), name="assets"),
    path("places", places.PlacesView.as_view(), name="places"),
    path("reverse", ReverseView.as_view(), name="reverse"),
    path("services", catalogue_api.ServiceListView.as_view(), name="services"),
    path("services/<slug:slug>", catalogue_api.ServiceDetailView.as_view(), name="service-detail"),
    path(
        "services/<slug:slug>/applications",
        catalogue_api.ApplicationCreateView.as_view(),
        name="service-applications",
    ),
    path("events", events_api.EventListView.as_view(), name="events"),
    path("events/<int:pk>", events_api.EventDetailView.as_view(), name="event-detail"),
    path("council/meetings", council_api.CouncilMeetingListView.as_view(), name="council-meetings"),
    path(
        "council/meetings/<int:pk>",
        council_api.CouncilMeetingDetailView.as_view(),
        name="council-meeting",
    ),
    path("waste/lookup", waste_api.WasteLookupView.as_view(), name="waste-lookup"),
    path(
        "waste/districts/<int:pk>/dates",
        waste_api.WasteDatesView.as_view(),
        name="waste-dates",
    ),
    path("plans", participation_api.PlanListView.as_view(), name="plans"),
    path("plans/<int:pk>", participation_api.PlanDetailView.as_view(), name="plan-detail"),
    path(
        "plans/<int:pk>/statements",
        participation_api.StatementSubmitView.as_view(),
        name="plan-statements",
    ),
    # Staff (session or token auth; tracker.permissions): work queue, report actions, bulk.
    path("staff/reports", staff_api.StaffReportListView.as_view(), name="staff-reports"),
    path("staff/reports/bulk", staff_api.StaffBulkView.as_view(), name="staff-bulk"),
    path(
        "staff/reports/<int:pk>",
        staff_api.StaffReportDetailView.as_view(),
        name="staff-report-detail",
    ),
    *[
        path(f"staff/reports/<int:pk>/{action}", view.as_view(), name=f"staff-report-{action}")
        for action, view in staff_api.ACTION_VIEWS.items()
    ],
    path("staff/templates", staff_api.StaffTemplateListView.as_view(), name="staff-templates"),
    path("staff/authorities", staff_api.StaffAuthorityListView.as_view(), name="staff-authorities"),
    path("staff/me", staff_api.StaffMeView.as_view(), name="staff-me"),
    # Planners (session or token auth; planning.scope): heatmap, hot spots, statistics, exports.
    path("planning/bins", planning_api.BinsView.as_view(), name="planning-bins"),
    path("planning/hotspots", planning_api.HotspotsView.as_view(), name="planning-hotspots"),
    path("planning/roads", planning_api.RoadsView.as_view(), name="planning-roads"),
    path("planning/stats", planning_api.StatsView.as_view(), name="planning-stats"),
    path(
        "planning/reports.<str:export_format>",
        planning_api.ExportView.as_view(),
        name="planning-export",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file (?script), so the page needs no
    # inline script under our Content-Security-Policy.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
