# English as the ministry's partners abroad read it: day before month, a 24-hour clock, and short forms in
# ISO order, which no reader misreads (Django's defaults are US: "Dec. 2, 2026", "12/02/2026 3 p.m.").
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j M"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
