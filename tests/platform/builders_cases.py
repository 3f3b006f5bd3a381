"""URL name -> builder of URL kwargs for an object of the given organisation (see url_catalogue.py)."""

BUILDERS: dict = {}
