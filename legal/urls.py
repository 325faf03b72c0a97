from django.urls import path

from .models import LegalPage
from .views import legal_page

app_name = "legal"

urlpatterns = [
    path(f"{kind.value}/", legal_page, {"kind": kind.value}, name=kind.value)
    for kind in LegalPage.Kind
]
