"""Open data: the national CSVs of every LAO's published data, their catalogue and schema."""

from services.api.open_data.pages import OpenDataPages

ROUTES = [OpenDataPages]
