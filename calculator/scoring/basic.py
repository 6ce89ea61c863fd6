"""第六条 基础指标, in the order of the 办法: (一) 年龄, (二) 教育背景 and (三) 职称/技能 (the higher of
the two counts), (四) 社会保险缴费年限. Each indicator's Line with its wording, and the bare points the
projection sums."""

from __future__ import annotations

from calculator import labels
from calculator.scoring.contributions import MonthBase, Recent, multiple_cn
from calculator.scoring.profile import CertificateClaim, Profile
from calculator.scoring.result import Line
from calculator.scoring.rules import AgeRule, Policy


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
    return Line("age", labels.INDICATOR["age"], points, True, why, "basic")


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


def education_or_title(education: int, title: int) -> int:
    """第六条(二)(三) 学历与职称/技能二选一: the higher counts (the education on a tie)."""
    return max(education, title)


def certificate_points(profile: Profile, policy: Policy, recent: Recent) -> tuple[int, str]:
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
    count = recent.count(policy.base_test_multiple, policy.base_test_window) if base_test else 0
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


def education_and_title_lines(profile: Profile, policy: Policy, recent: Recent) -> tuple[Line, Line]:
    """第六条(二)(三) 学历与职称/技能二选一，计入较高者."""
    edu = education_points(profile.education, policy)
    cert, cert_why = certificate_points(profile, policy, recent)
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
        Line("education", labels.INDICATOR["education"], edu, edu_counted, edu_why, "basic"),
        Line("certificate", labels.INDICATOR["certificate"], cert, not edu_counted, cert_why, "basic"),
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
    return Line("si_years", labels.INDICATOR["si_years"], points, True, why, "basic")
