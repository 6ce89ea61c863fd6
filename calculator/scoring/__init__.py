"""The scoring of 《上海市居住证积分管理办法》: pure functions over frozen dataclasses.

No Django here. Every number comes from a `Policy` (built from the database by calculator/policy.py);
this package holds only the algorithm. Months are whole numbers (`month_index`) so that windows are
plain arithmetic; money is whole yuan (`int`) or `Decimal`, never float.

The modules import each other directly; this one re-exports the names the rest of the project uses.
"""

from __future__ import annotations

from datetime import date
from itertools import compress, repeat
from operator import attrgetter, is_

from calculator import labels
from calculator.scoring.contributions import (
    MonthBase,
    base_multiples,
    contribution_months,
    in_hundredths,
    meets,
    months_at,
    months_within,
    multiple_cn,
    wage_for,
)
from calculator.scoring.months import age_at, month_cn, month_index, month_label, month_of
from calculator.scoring.notes import decision_notes, disclaimer
from calculator.scoring.profile import CertificateClaim, Profile, SIPeriod
from calculator.scoring.result import Line, MonthTest, Result, SISummary
from calculator.scoring.rules import AgeRule, AverageWage, BaseTier, Deduction, Policy, YearRate

_PROVISIONAL = attrgetter("provisional")
_WAGE = attrgetter("wage")
_CAPPED = attrgetter("capped")


def age_points(age: int, rule: AgeRule) -> int:
    """第六条(一) 年龄: nothing over the limit, the base points from `base_from`, more per year younger."""
    if age > rule.max_age:
        return 0
    if age >= rule.base_from:
        return rule.base_points
    return min(rule.cap, rule.base_points + rule.per_year * (rule.base_from - age))


def age_line(profile: Profile, policy: Policy) -> Line:
    """第六条(一) 年龄."""
    rule = policy.age
    age = profile.age
    points = age_points(age, rule)
    if age > rule.max_age:
        why = f"{age} 周岁，超过 {rule.max_age} 周岁：年龄不计分，且不符合申请条件。"
    elif age >= rule.base_from:
        why = f"{age} 周岁，在 {rule.base_from}–{rule.max_age} 周岁之间，计 {points} 分。"
    else:
        raw = rule.base_points + rule.per_year * (rule.base_from - age)
        why = (
            f"{age} 周岁：{rule.base_from}–{rule.max_age} 周岁计 {rule.base_points} 分，"
            f"每年轻 1 岁加 {rule.per_year} 分"
        )
        why += f"，最高 {rule.cap} 分，计 {points} 分。" if raw > rule.cap else f"，计 {points} 分。"
    return Line("age", "年龄", points, True, why, "basic")


def education_points(education: str, policy: Policy) -> int:
    """第六条(二) 教育背景."""
    return policy.education_points.get(education, 0)


def certificate_failures(claim: CertificateClaim) -> list[str]:
    """第六条(三) the conditions of a catalogue entry other than the SI base test that the claim fails."""
    failed = []
    if not claim.job_match:
        failed.append("专业或工种须与所聘岗位相符")
    if not claim.in_shanghai:
        failed.append("须在本市工作期间取得，或经本市复评/验证（全国统一考试取得的除外）")
    if claim.needs_registration and not claim.registered:
        failed.append("注册类职业资格须已注册且在有效期内")
    return failed


def held_points(claim: CertificateClaim | None, policy: Policy) -> int:
    """The points a certificate reaches when every condition but the SI base test holds."""
    if claim is None or not claim.active or certificate_failures(claim):
        return 0
    return policy.tier_points.get(claim.tier, 0)


def needs_base_test(claim: CertificateClaim | None, policy: Policy) -> bool:
    """第六条(三) the claim's tier counts only when the SI base test holds."""
    return claim is not None and claim.tier in policy.base_test_tiers


def title_points(claim: CertificateClaim | None, policy: Policy, base_test_met: bool) -> int:
    """第六条(三) the points of `certificate_points`, without its wording, knowing whether the SI base test
    holds (read only for a tier that needs it)."""
    points = held_points(claim, policy) if claim is not None and claim.tier != "none" else 0
    if not points or not needs_base_test(claim, policy):
        return points
    return points if base_test_met else 0


def certificate_count(profile: Profile, policy: Policy, months: dict[int, MonthBase], as_of_month: int) -> int:
    """第六条(三) the points of `certificate_points`, without its wording (the projection's months)."""
    claim = profile.certificate
    met = needs_base_test(claim, policy) and (
        months_at(months, policy.base_test_multiple, as_of_month, policy.base_test_window) >= policy.base_test_months
    )
    return title_points(claim, policy, met)


def education_or_title(education: int, title: int) -> int:
    """第六条(二)(三) 学历与职称/技能二选一: the higher counts (the education on a tie)."""
    return max(education, title)


def certificate_points(
    profile: Profile, policy: Policy, months: dict[int, MonthBase], as_of_month: int
) -> tuple[int, str]:
    """第六条(三) 专业技术职称和技能等级: the tier's points when every condition holds, else 0."""
    claim = profile.certificate
    if claim is None:
        return 0, "未填写职称或技能等级证书。"
    tier_label = labels.TIER.get(claim.tier, claim.tier)
    if not claim.active:
        return 0, f"「{claim.name}」已不在现行目录中，不计分。"
    if claim.tier == "none" or policy.tier_points.get(claim.tier, 0) == 0:
        return 0, f"「{claim.name}」属于{tier_label}，不计分。"
    full = policy.tier_points[claim.tier]
    failed = certificate_failures(claim)
    base_test = claim.tier in policy.base_test_tiers
    count = months_at(months, policy.base_test_multiple, as_of_month, policy.base_test_window) if base_test else 0
    if base_test and count < policy.base_test_months:
        failed.append(
            f"最近 {policy.base_test_window} 个月中须有 {policy.base_test_months} 个月社保基数"
            f"≥{multiple_cn(policy.base_test_multiple)}社会平均工资，现只有 {count} 个月"
        )
    if failed:
        return 0, f"「{claim.name}」（{tier_label}，可计 {full} 分）暂不计分：" + "；".join(failed) + "。"
    why = f"「{claim.name}」属于{tier_label}，计 {full} 分"
    if base_test:
        why += (
            f"（最近 {policy.base_test_window} 个月中 {count} 个月基数≥"
            f"{multiple_cn(policy.base_test_multiple)}平均工资，满足 {policy.base_test_months} 个月的要求）"
        )
    return full, why + "。"


def education_and_title_lines(
    profile: Profile, policy: Policy, months: dict[int, MonthBase], as_of_month: int, explained: bool = True
) -> tuple[Line, Line]:
    """第六条(二)(三) 学历与职称/技能二选一，计入较高者."""
    edu = education_points(profile.education, policy)
    if not explained:
        cert = certificate_count(profile, policy, months, as_of_month)
        return (
            Line("education", "教育背景", edu, edu >= cert, "", "basic"),
            Line("certificate", "专业技术职称和技能等级", cert, edu < cert, "", "basic"),
        )
    cert, cert_why = certificate_points(profile, policy, months, as_of_month)
    edu_counted = edu >= cert
    either = "学历与职称二选一，计入较高者"
    edu_why = f"{labels.EDUCATION.get(profile.education, profile.education)}，{edu} 分。"
    if edu_counted:
        edu_why += f"{either}：计入学历。"
        cert_why += f"{either}：学历 {edu} 分更高或相同，不计入此项。" if cert else ""
    else:
        edu_why += f"{either}：职称/技能 {cert} 分更高，不计入学历。"
        cert_why += f"{either}：计入此项。"
    return (
        Line("education", "教育背景", edu, edu_counted, edu_why, "basic"),
        Line("certificate", "专业技术职称和技能等级", cert, not edu_counted, cert_why, "basic"),
    )


def si_year_points(years: int, policy: Policy) -> int:
    """第六条(四) 在本市工作及缴纳职工社会保险年限: the points of `years` full years (12 months each, gaps
    allowed) of contributions."""
    rate = policy.si_years
    points = rate.points_per_year * years if years >= rate.min_years else 0
    return min(points, rate.cap) if rate.cap is not None else points


def si_years_line(months: dict[int, MonthBase], policy: Policy) -> Line:
    """第六条(四) 在本市工作及缴纳职工社会保险年限: per full 12 months, gaps allowed."""
    total = len(months)
    years = total // 12
    rate = policy.si_years
    points = si_year_points(years, policy)
    why = (
        f"累计缴纳 {total} 个月（重叠月份只计一次，不含补缴），满 {years} 年，"
        f"每满 1 年 {rate.points_per_year} 分，计 {points} 分。"
    )
    return Line("si_years", "社会保险缴费年限", points, True, why, "basic")


def si_base_line(months: dict[int, MonthBase], policy: Policy, as_of_month: int, explained: bool = True) -> Line:
    """第六条 加分(一) 缴纳职工社会保险费基数: the highest tier met counts. Unexplained (the projection's
    months), the tiers below the one met are not counted and the line has no wording."""
    checks = []
    reached: BaseTier | None = None
    longest = max((t.window for t in policy.base_tiers), default=0)
    # The longest window's months once, as hundredths of their average; each tier counts its own tail.
    recent = [
        entry.hundredths if entry is not None else -1
        for entry in map(months.get, range(as_of_month - longest + 1, as_of_month + 1))
    ]
    for tier in sorted(policy.base_tiers, key=lambda t: -t.points):
        scaled = in_hundredths(tier.multiple)
        if scaled is None:
            count = months_at(months, tier.multiple, as_of_month, tier.window)
        else:
            count = sum(map(scaled.__le__, recent[longest - tier.window :]))
        ok = count >= tier.months
        if not explained:
            if ok:
                return Line("si_base", "社会保险缴费基数", tier.points, True, "", "bonus")
            continue
        checks.append(
            f"近 {tier.window} 个月 ≥{multiple_cn(tier.multiple)}平均工资 {count} 个月"
            f"（需 {tier.months} 个月，{tier.points} 分）" + ("✓" if ok else "✗")
        )
        if ok and reached is None:
            reached = tier
    if not explained:
        return Line("si_base", "社会保险缴费基数", 0, True, "", "bonus")
    span = f"统计期 {month_label(as_of_month - longest + 1)} 至 {month_label(as_of_month)}"
    points = reached.points if reached else 0
    head = f"计 {points} 分" if reached else "未达到任何档次，计 0 分"
    why = f"{head}。{span}，各月与当月适用的社会平均工资比较，不四舍五入：" + "；".join(checks) + "。"
    return Line("si_base", "社会保险缴费基数", points, True, why, "bonus")


def shortage_major_points(shortage_major: bool, policy: Policy) -> int:
    """第六条 加分(二) 紧缺急需专业."""
    return policy.shortage_major_points if shortage_major else 0


def shortage_major_line(profile: Profile, policy: Policy) -> Line:
    """第六条 加分(二) 紧缺急需专业."""
    points = shortage_major_points(profile.shortage_major, policy)
    why = (
        f"所学专业属于本市紧缺急需专业且与岗位相符，计 {points} 分。"
        if profile.shortage_major
        else "未选择紧缺急需专业，0 分。"
    )
    return Line("shortage_major", "紧缺急需专业", points, True, why, "bonus")


def investment_points(profile: Profile, policy: Policy) -> int:
    """第六条 加分(三) 投资纳税或带动本地就业: the better route, per full step, to the cap."""
    step = policy.investment_points_per_step
    by_tax = step * (profile.invest_tax // policy.investment_tax_step)
    by_hires = step * (profile.invest_hires // policy.investment_hires_step)
    return min(max(by_tax, by_hires), policy.investment_cap)


def investment_line(profile: Profile, policy: Policy) -> Line:
    """第六条 加分(三) 投资纳税或带动本地就业: the better route, per full step, to the cap."""
    step = policy.investment_points_per_step
    by_tax = step * (profile.invest_tax // policy.investment_tax_step)
    by_hires = step * (profile.invest_hires // policy.investment_hires_step)
    best = max(by_tax, by_hires)
    points = investment_points(profile, policy)
    if not best:
        why = (
            f"近 {policy.investment_years} 年个人投资企业年均纳税不足 {policy.investment_tax_step:,} 元、"
            f"年均聘用本市户籍人员不足 {policy.investment_hires_step} 人，0 分。"
        )
    else:
        route = (
            f"年均纳税 {profile.invest_tax:,} 元，每满 {policy.investment_tax_step:,} 元 {step} 分"
            if by_tax >= by_hires
            else f"年均聘用本市户籍 {profile.invest_hires} 人，每满 {policy.investment_hires_step} 人 {step} 分"
        )
        why = f"{route}，计 {points} 分" + (f"（最高 {policy.investment_cap} 分）" if best > points else "")
        why += "；两条途径取较高者。" if by_tax and by_hires else "。"
    return Line("investment", "投资纳税或带动本地就业", points, True, why, "bonus")


def per_year_points(years: int, rate: YearRate) -> int:
    if years < rate.min_years or years <= 0:
        return 0
    points = rate.points_per_year * years
    return min(points, rate.cap) if rate.cap is not None else points


def rate_text(rate: YearRate) -> str:
    text = f"每满 1 年 {rate.points_per_year} 分"
    if rate.min_years:
        text = f"满 {rate.min_years} 年起计，" + text
    if rate.cap is not None:
        text += f"，最高 {rate.cap} 分"
    return text


def public_service_line(profile: Profile, policy: Policy) -> Line:
    """第六条 加分(四) 特定的公共服务领域."""
    years = profile.public_service_years
    points = per_year_points(years, policy.public_service)
    why = f"在特定公共服务领域（如环卫）工作满 {years} 年（{rate_text(policy.public_service)}），计 {points} 分。"
    if not years:
        why = "未填写特定公共服务领域工作年限，0 分。"
    return Line("public_service", "特定公共服务领域", points, True, why, "bonus")


def key_area_points(remote_years: int, lingang_years: int, policy: Policy) -> int:
    """第六条 加分(五) 远郊重点区域 / 临港新片区专项加分: the better one, not both."""
    return max(per_year_points(remote_years, policy.remote_area), per_year_points(lingang_years, policy.lingang))


def key_area_line(profile: Profile, policy: Policy) -> Line:
    """第六条 加分(五) 远郊重点区域 / 临港新片区专项加分: the better one, not both."""
    remote = per_year_points(profile.remote_years, policy.remote_area)
    lingang = per_year_points(profile.lingang_years, policy.lingang)
    points = key_area_points(profile.remote_years, profile.lingang_years, policy)
    if not profile.remote_years and not profile.lingang_years:
        why = "未填写在远郊重点区域或临港新片区工作并居住的年限，0 分。"
    else:
        parts = []
        if profile.remote_years:
            parts.append(f"远郊重点区域 {profile.remote_years} 年（{rate_text(policy.remote_area)}）→ {remote} 分")
        if profile.lingang_years:
            parts.append(f"临港新片区 {profile.lingang_years} 年（{rate_text(policy.lingang)}）→ {lingang} 分")
        why = "；".join(parts) + f"。计 {points} 分" + ("（两者取较高者）。" if len(parts) == 2 else "。")
    return Line("key_area", "远郊重点区域 / 临港新片区", points, True, why, "bonus")


def fresh_graduate_points(fresh_graduate: bool, policy: Policy) -> int:
    """第六条 加分(六) 全日制应届高校毕业生."""
    return policy.fresh_graduate_points if fresh_graduate else 0


def fresh_graduate_line(profile: Profile, policy: Policy) -> Line:
    """第六条 加分(六) 全日制应届高校毕业生."""
    points = fresh_graduate_points(profile.fresh_graduate, policy)
    why = f"全日制应届高校毕业生，计 {points} 分。" if profile.fresh_graduate else "非应届毕业生，0 分。"
    return Line("fresh_graduate", "应届高校毕业生", points, True, why, "bonus")


def spouse_line(profile: Profile, policy: Policy) -> Line:
    """第六条 加分(七) 配偶为本市户籍人员."""
    years = profile.spouse_years
    points = per_year_points(years, policy.spouse)
    why = (
        f"配偶为本市户籍，结婚满 {years} 年（{rate_text(policy.spouse)}），计 {points} 分。"
        if years
        else "未填写与本市户籍配偶的结婚年限，0 分。"
    )
    return Line("spouse", "配偶为本市户籍", points, True, why, "bonus")


def award_points(profile: Profile, policy: Policy) -> int:
    """第六条 加分(八) 表彰奖励: the best single award."""
    return policy.award_points.get(profile.award, 0)


def award_line(profile: Profile, policy: Policy) -> Line:
    """第六条 加分(八) 表彰奖励: the best single award."""
    points = award_points(profile, policy)
    why = (
        f"{labels.AWARD.get(profile.award, profile.award)}（在本市工作期间获得），计 {points} 分。"
        if profile.award != "none"
        else "无表彰奖励，0 分。"
    )
    return Line("award", "表彰奖励", points, True, why, "bonus")


def talent_points(profile: Profile, policy: Policy) -> int:
    """第六条 加分(九) 创业人才 / 创新创业中介服务人才: once, however many projects."""
    return policy.talent_points if profile.talent != "none" else 0


def talent_line(profile: Profile, policy: Policy) -> Line:
    """第六条 加分(九) 创业人才 / 创新创业中介服务人才."""
    points = talent_points(profile, policy)
    why = (
        f"{labels.TALENT.get(profile.talent, profile.talent)}，符合本市相关条件，计 {points} 分。"
        if points
        else "不属于创业人才或创新创业中介服务人才，0 分。"
    )
    return Line("talent", "创业人才 / 中介服务人才", points, True, why, "bonus")


def deduction_points(code: str, count: int, policy: Policy) -> int:
    """第七条 减分指标: per record within the window; the total has no floor."""
    return policy.deductions[code].points * count


def deduction_line(code: str, count: int, policy: Policy) -> Line:
    """第七条 减分指标: per record within the window; the total has no floor."""
    rule = policy.deductions[code]
    points = deduction_points(code, count, policy)
    label = labels.DEDUCTION[code]
    why = (
        f"最近 {rule.window_years} 年内{label} {count} 次，每次 {rule.points} 分，计 {points} 分。"
        if count
        else f"最近 {rule.window_years} 年内无{label}，不扣分。"
    )
    return Line(code, label, points, True, why, "deduction")


def si_summary(months: dict[int, MonthBase], policy: Policy, as_of_month: int) -> SISummary:
    tests = [(policy.base_test_multiple, policy.base_test_window, policy.base_test_months)]
    tests += [(t.multiple, t.window, t.months) for t in sorted(policy.base_tiers, key=lambda t: t.points)]
    return SISummary(
        months_total=len(months),
        recent=months_within(months, as_of_month, policy.eligibility_window),
        tests=tuple(
            MonthTest(multiple, window, needed, months_at(months, multiple, as_of_month, window))
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


def score(profile: Profile, policy: Policy, as_of: date, *, explained: bool = True) -> Result:
    """Total and one Line per indicator, in the order of the 积分管理办法.

    `explained=False` is for the projection's many months, which read only the total, the lines and the
    eligibility: the warnings, decision notes, SI summary and averages used are then left empty."""
    as_of_month = month_of(as_of)
    months = contribution_months(profile.si_periods, as_of_month, policy.averages)
    # The base tests (months_at) walk only their own window of `months`, never the whole history.
    education, certificate = education_and_title_lines(profile, policy, months, as_of_month, explained)
    lines = (
        age_line(profile, policy),
        education,
        certificate,
        si_years_line(months, policy),
        si_base_line(months, policy, as_of_month, explained),
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

    if explained:
        summary = si_summary(months, policy, as_of_month)
        warnings = _warnings(profile, policy, months, as_of_month, summary)
        notes = decision_notes(profile, months, policy, as_of_month)
        entries = list(months.values())
        distinct = dict(zip(map(id, entries), entries, strict=True)).values()  # entries are shared by months
        wages = {id(entry.wage): entry.wage for entry in distinct if entry.wage is not None}
        used = tuple(sorted(wages.values(), key=lambda w: w.start))
    else:
        summary, warnings, notes, used = SISummary(len(months), 0, ()), (), (), ()
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


__all__ = [
    "AgeRule",
    "AverageWage",
    "BaseTier",
    "CertificateClaim",
    "Deduction",
    "Line",
    "MonthBase",
    "Policy",
    "Profile",
    "Result",
    "SIPeriod",
    "YearRate",
    "age_at",
    "age_line",
    "age_points",
    "award_points",
    "base_multiples",
    "contribution_months",
    "deduction_points",
    "education_or_title",
    "education_points",
    "fresh_graduate_points",
    "held_points",
    "in_hundredths",
    "investment_points",
    "key_area_points",
    "meets",
    "month_cn",
    "month_index",
    "month_label",
    "month_of",
    "months_at",
    "needs_base_test",
    "per_year_points",
    "rate_text",
    "refusals",
    "score",
    "shortage_major_points",
    "si_year_points",
    "talent_points",
    "title_points",
    "wage_for",
]
