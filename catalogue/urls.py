"""Serviceportal pages under /dienstleistungen/ and the authorities' pages under /stelle/."""

from django.urls import path

from . import authority_views, payment_views, saml_logout, saml_views, staff_views, views

app_name = "catalogue"
urlpatterns = [
    path("dienstleistungen/", views.service_list, name="services"),
    path("dienstleistungen/meine/", views.my_start, name="my-start"),
    path("dienstleistungen/anschrift/", views.saved_place, name="saved-place"),
    path("dienstleistungen/bearbeitung/", staff_views.staff_list, name="staff-applications"),
    path(
        "dienstleistungen/bearbeitung/<int:pk>/",
        staff_views.staff_detail,
        name="staff-application",
    ),
    path("dienstleistungen/antraege/<int:pk>/", views.application_detail, name="application"),
    path("dienstleistungen/antraege/<int:pk>/rechnung/", views.invoice, name="invoice"),
    path(
        "dienstleistungen/antraege/<int:pk>/bezahlen/",
        payment_views.payment_pay,
        name="payment-pay",
    ),
    path(
        "dienstleistungen/antraege/<int:pk>/bezahlt/",
        payment_views.payment_return,
        name="payment-return",
    ),
    path("dienstleistungen/anlagen/<int:pk>/", views.attachment_download, name="attachment"),
    path("dienstleistungen/<slug:slug>/", views.service_detail, name="service"),
    path("dienstleistungen/<slug:slug>/antrag/", views.application_new, name="apply"),
    path("dienstleistungen/<slug:slug>/merken/", views.favourite_toggle, name="favourite"),
    path("stelle/<slug:slug>/", authority_views.authority_page, name="authority"),
    # SAML login (BundID), 404 while not configured (catalogue.saml).
    path("konto/saml/login/", saml_views.login, name="saml-login"),
    path("konto/saml/acs/", saml_views.acs, name="saml-acs"),
    path("konto/saml/metadata/", saml_views.metadata, name="saml-metadata"),
    # Single logout (catalogue.saml_logout): ours to the IdP, and the IdP's answers/requests.
    path("konto/saml/logout/", saml_logout.logout_init, name="saml-logout"),
    path("konto/saml/ls/", saml_logout.logout_service, name="saml-ls"),
]
