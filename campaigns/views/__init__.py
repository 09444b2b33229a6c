"""Server-rendered pages of the campaigns app, one module per area (calendar, series, influencers, ...).

urls.py imports the modules directly, so this package needs no re-exports.
"""
