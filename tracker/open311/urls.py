"""/open311/v2/: GeoReport v2 resources, each as .xml and .json."""

from django.urls import path, re_path

from . import update_views, views

app_name = "open311"

_FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns = [
    path("", views.not_found, {"path": ""}, name="root"),
    re_path(r"^discovery" + _FMT, views.discovery, name="discovery"),
    re_path(r"^services" + _FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<service_code>[^/]+?)" + _FMT, views.service_definition, name="service"),
    re_path(r"^requests" + _FMT, views.requests, name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[^/]+?)" + _FMT, views.request_detail, name="request"
    ),
    re_path(
        r"^servicerequestupdates" + _FMT,
        update_views.service_request_updates,
        name="servicerequestupdates",
    ),
    re_path(r"^tokens/(?P<token>[^/]+?)" + _FMT, views.token_detail, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
