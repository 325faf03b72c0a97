"""/ogc/ — OGC API – Features (URL names ogc:*). Paths without trailing slashes, as the
standard's clients build them from the links."""

from django.urls import path

from . import ogc_views as views

app_name = "ogc"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("conformance", views.conformance, name="conformance"),
    path("collections", views.collections, name="collections"),
    path("collections/<slug:collection_id>", views.collection, name="collection"),
    path("collections/<slug:collection_id>/items", views.items, name="items"),
    path("collections/<slug:collection_id>/items/<int:feature_id>", views.item, name="item"),
]
