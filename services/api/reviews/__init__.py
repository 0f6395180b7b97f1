"""Reviews: the provincial office's comments and revision requests on an LAO, the LAO's
answers, the reviewer's resolution (JSON API and the review page)."""

from services.api.edge import api_routes
from services.api.reviews.api import ReviewsController
from services.api.reviews.pages import ReviewPages

ROUTES = [api_routes(ReviewsController), ReviewPages]
