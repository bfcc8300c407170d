"""The organiser's pages, one module per area; routed by organise/urls.py."""
