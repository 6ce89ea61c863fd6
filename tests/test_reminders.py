"""加入日历: the .ics file parses, holds the right dates and nothing else about the applicant."""

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from calculator.reminders import calendar, permit_reminder_day
from calculator.scoring import month_index

STAMP = datetime(2026, 11, 15, 8, 0, tzinfo=UTC)


def events(data: bytes) -> dict[str, object]:
    parsed = Calendar.from_ical(data)
    return {str(e["uid"]).split("-")[1]: e for e in parsed.walk("VEVENT")}


def test_the_earliest_month_and_the_permit_reminder_30_days_before_it() -> None:
    data = calendar(reached=date(2028, 3, 1), permit_expires=month_index(2027, 5), threshold=120, stamp=STAMP)
    found = events(data)
    assert set(found) == {"reach", "permit"}
    reach, permit = found["reach"], found["permit"]
    assert reach.decoded("dtstart") == date(2028, 3, 1)
    assert reach.decoded("dtend") == date(2028, 3, 2)
    assert str(reach["summary"]) == "预计达到居住证积分 120 分"
    assert "2028年3月起" in str(reach["description"])
    assert permit.decoded("dtstart") == date(2027, 5, 1) - timedelta(days=30) == date(2027, 4, 1)
    assert str(permit["summary"]) == "居住证 2027年5月 到期：办理签注或续办"
    alarm = permit.walk("VALARM")[0]
    assert alarm.decoded("trigger") == timedelta(hours=9)
    assert Calendar.from_ical(data)["prodid"] == "-//jifen//上海居住证积分模拟//ZH"


def test_only_what_is_known_goes_in() -> None:
    assert set(events(calendar(reached=None, permit_expires=month_index(2027, 1), threshold=120))) == {"permit"}
    assert set(events(calendar(reached=date(2026, 11, 15), permit_expires=None, threshold=130))) == {"reach"}
    assert "130" in events(calendar(reached=date(2026, 11, 15), permit_expires=None, threshold=130))["reach"]["summary"]


def test_the_reminder_counts_from_the_first_day_of_the_expiry_month() -> None:
    assert permit_reminder_day(month_index(2027, 3)) == date(2027, 1, 30)  # February has 28 days
    assert permit_reminder_day(month_index(2027, 1)) == date(2026, 12, 2)


def test_the_file_names_the_dates_and_nothing_else() -> None:
    text = calendar(reached=date(2028, 3, 1), permit_expires=month_index(2027, 5), threshold=120, stamp=STAMP).decode()
    dates = {line.split(":", 1)[1] for line in text.splitlines() if line.startswith(("DTSTART", "DTEND"))}
    assert dates == {"20280301", "20280302", "20270401", "20270402"}
    for personal in ("age", "birth", "si_", "http", "URL", "ATTENDEE", "ORGANIZER"):
        assert personal not in text
