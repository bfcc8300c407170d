"""Filled in by the feature that owns it; included by the app's urls.py."""

urlpatterns = []
