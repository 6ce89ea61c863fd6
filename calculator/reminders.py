"""“加入日历”: an iCalendar file with the earliest month at the standard score and, when the 居住证's
expiry month is known, a reminder 30 days before it. It names those dates and nothing else about the
applicant (no inputs, no score, no link that holds them)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from calculator.scoring import month_cn, month_of

PERMIT_NOTICE_DAYS = 30  # the 居住证 is endorsed within the 30 days before it expires
PRODID = "-//jifen//上海居住证积分模拟//ZH"
DISCLAIMER = "模拟结果仅供参考，正式积分以人力资源和社会保障部门审核认定为准。"


def first_day(month: int) -> date:
    return date(month // 12, month % 12 + 1, 1)


def permit_reminder_day(expires: int) -> date:
    """30 days before the expiry month: only the month is known, so counted from its first day (the
    earliest the 居住证 could run out)."""
    return first_day(expires) - timedelta(days=PERMIT_NOTICE_DAYS)


def _day_event(uid: str, day: date, summary: str, description: str, stamp: datetime, alarm: bool) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    if alarm:
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", summary)
        reminder.add("trigger", timedelta(hours=9))  # 09:00 on the day
        event.add_component(reminder)
    return event


def calendar(
    *, reached: date | None, permit_expires: int | None, threshold: int, stamp: datetime | None = None
) -> bytes:
    """The .ics file: `reached` is the day the projection first reaches `threshold` (the evaluation day
    when it already does); `permit_expires` the 居住证's expiry month index."""
    stamp = stamp or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if reached is not None:
        cal.add_component(
            _day_event(
                f"jifen-reach-{reached:%Y%m%d}@jifen",
                reached,
                f"预计达到居住证积分 {threshold} 分",
                f"按模拟“如果保持现状”推算，{month_cn(month_of(reached))}起可达到 {threshold} 分，"
                f"可请单位提交积分申请。{DISCLAIMER}",
                stamp,
                alarm=False,
            )
        )
    if permit_expires is not None:
        day = permit_reminder_day(permit_expires)
        cal.add_component(
            _day_event(
                f"jifen-permit-{day:%Y%m%d}@jifen",
                day,
                f"居住证 {month_cn(permit_expires)} 到期：办理签注或续办",
                f"居住证须在到期前 {PERMIT_NOTICE_DAYS} 日内签注；续办后由单位重新提交积分。"
                "申请积分时居住证须在有效期内。",
                stamp,
                alarm=True,
            )
        )
    return cal.to_ical()
