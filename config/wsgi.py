import os

from django.core.wsgi import get_wsgi_application

from core.wsgi_front import WSGIFront

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
# The WSGI front answers the catalogue search before Django's handler (core/wsgi_front.py).
application = WSGIFront(get_wsgi_application())
