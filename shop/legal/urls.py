from django.urls import path

from shop.legal.views import legal_page

urlpatterns = [
    path("legal/terms/", legal_page, {"page": "terms"}, name="legal-terms"),
    path("legal/notice/", legal_page, {"page": "notice"}, name="legal-notice"),
    path("legal/mediator/", legal_page, {"page": "mediator"}, name="legal-mediator"),
]
