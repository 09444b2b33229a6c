"""Server-rendered pages of the campaigns app, one module per area (home, campaigns, posts, review,
settings, calendar, series, influencers). urls.py imports the modules directly; common.py holds the
permission helpers every view uses.
"""
