"""The start page and the site's frame: the dashboard, the organisation switch, the template context.

It sits at the top of the graph of apps (beside api and demo): it reads the registry, the applications and
the state assignment, and nothing imports it but the root URLs and the settings.
"""
