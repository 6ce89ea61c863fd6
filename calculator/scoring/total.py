"""The whole score: every indicator's Line in the order of the 办法, the eligibility, and the Result with
its SI summary, warnings, notes and disclaimer."""

from __future__ import annotations

from datetime import date
from itertools import compress, repeat
from operator import attrgetter, is_

from calculator.scoring.basic import age_line, education_and_title_lines, si_years_line
from calculator.scoring.bonus import (
    award_line,
    fresh_graduate_line,
    investment_line,
    key_area_line,
    public_service_line,
    shortage_major_line,
    si_base_line,
    spouse_line,
    talent_line,
)
from calculator.scoring.contributions import MonthBase, Recent, contribution_months, longest_window, months_within
from calculator.scoring.deduction import deduction_line
from calculator.scoring.months import month_label, month_of
from calculator.scoring.notes import decision_notes, disclaimer
from calculator.scoring.profile import Profile
from calculator.scoring.result import MonthTest, Result, SISummary
from calculator.scoring.rules import Policy

_PROVISIONAL = attrgetter("provisional")
_WAGE = attrgetter("wage")
_CAPPED = attrgetter("capped")


def si_summary(recent: Recent, policy: Policy) -> SISummary:
    tests = [(policy.base_test_multiple, policy.base_test_window, policy.base_test_months)]
    tests += [(t.multiple, t.window, t.months) for t in sorted(policy.base_tiers, key=lambda t: t.points)]
    return SISummary(
        months_total=len(recent.months),
        recent=months_within(recent.months, recent.as_of_month, policy.eligibility_window),
        tests=tuple(
            MonthTest(multiple, window, needed, recent.count(multiple, window))
            for multiple, window, needed in dict.fromkeys(tests)
        ),
    )


def refusals(profile: Profile, policy: Policy, age: int) -> tuple[str, ...]:
    """申请条件: why the applicant, at `age`, cannot apply — over the age limit, or 一票否决 (none: eligible)."""
    reasons = []
    if age > policy.age.max_age:
        reasons.append(f"年龄超过 {policy.age.max_age} 周岁，不符合申请条件。")
    if profile.veto_family_planning:
        reasons.append("有违反国家或本市计划生育政策规定记录：一票否决。")
    if profile.veto_serious_crime:
        reasons.append("有严重刑事犯罪记录：一票否决。")
    return tuple(reasons)


def score(profile: Profile, policy: Policy, as_of: date) -> Result:
    """Total and one Line per indicator, in the order of the 积分管理办法, each with its reason."""
    as_of_month = month_of(as_of)
    months = contribution_months(profile.si_periods, as_of_month, policy.averages)
    # The base tests count their windows from one walk of the recent months, never the whole history.
    recent = Recent.of(months, as_of_month, longest_window(policy))
    education, certificate = education_and_title_lines(profile, policy, recent)
    lines = (
        age_line(profile, policy),
        education,
        certificate,
        si_years_line(months, policy),
        si_base_line(recent, policy),
        shortage_major_line(profile, policy),
        investment_line(profile, policy),
        public_service_line(profile, policy),
        key_area_line(profile, policy),
        fresh_graduate_line(profile, policy),
        spouse_line(profile, policy),
        award_line(profile, policy),
        talent_line(profile, policy),
        deduction_line("false_material", profile.false_material, policy),
        deduction_line("detention", profile.detention, policy),
        deduction_line("crime", profile.crime, policy),
    )
    total = sum(line.points for line in lines if line.counted)

    reasons = refusals(profile, policy, profile.age)
    eligible = not reasons

    summary = si_summary(recent, policy)
    warnings = _warnings(profile, policy, months, as_of_month, summary)
    notes = decision_notes(profile, policy, as_of_month)
    entries = list(months.values())
    distinct = dict(zip(map(id, entries), entries, strict=True)).values()  # entries are shared by months
    wages = {id(entry.wage): entry.wage for entry in distinct if entry.wage is not None}
    used = tuple(sorted(wages.values(), key=lambda w: w.start))
    return Result(
        total=total,
        threshold=policy.threshold,
        margin=total - policy.threshold,
        eligible=eligible,
        passed=eligible and total >= policy.threshold,
        reasons=reasons,
        warnings=warnings,
        notes=notes,
        lines=lines,
        as_of=as_of,
        edition=policy.edition,
        effective_from=policy.effective_from,
        averages_used=used,
        si=summary,
        disclaimer=disclaimer(policy),
    )


def _warnings(
    profile: Profile, policy: Policy, months: dict[int, MonthBase], as_of_month: int, summary: SISummary
) -> tuple[str, ...]:
    warnings = []
    if summary.recent < policy.eligibility_months:
        warnings.append(
            f"申请条件：最近 {policy.eligibility_window} 个月须有至少 {policy.eligibility_months} 个月"
            f"在本市缴纳职工社保（不含补缴），你填写的只有 {summary.recent} 个月。"
        )
    entries = months.values()
    provisional = min(compress(months, map(_PROVISIONAL, entries)), default=None)
    if provisional is not None:
        latest = months[provisional].wage
        assert latest is not None
        warnings.append(
            f"{month_label(provisional)} 起的社会平均工资尚未公布，暂按 {month_label(latest.start)}"
            f"–{month_label(latest.end)} 的 {latest.average:,} 元计算，结果为暂定。"
        )
    uncompared = list(compress(months, map(is_, map(_WAGE, entries), repeat(None))))
    if uncompared:
        warnings.append(
            f"{month_label(min(uncompared))}–{month_label(max(uncompared))} 早于本站收录的社会平均工资，"
            "这些月份只计入缴费年限，不参与基数比较。"
        )
    if any(map(_CAPPED, entries)):
        warnings.append("部分月份填写的基数高于当月缴费基数上限，已按上限（封顶）计算。")
    future = [p for p in profile.si_periods if p.end is not None and p.end > as_of_month or p.start > as_of_month]
    if future:
        warnings.append(f"{month_label(as_of_month)} 之后的月份不计入。")
    return tuple(warnings)
