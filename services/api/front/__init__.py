"""The service's front page: find one's LAO (by name, district, province or code) and go to its
public page or its sign-in; the favicon."""

from services.api.front.pages import FrontPages

ROUTES = [FrontPages]
