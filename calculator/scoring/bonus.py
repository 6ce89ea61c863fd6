"""第六条 加分指标, in the order of the 办法: (一) 社保缴费基数 to (九) 创业人才. Each indicator's Line
with its wording, and the bare points the projection sums."""

from __future__ import annotations

from calculator import labels
from calculator.scoring.contributions import Recent, multiple_cn
from calculator.scoring.months import month_label
from calculator.scoring.profile import Profile
from calculator.scoring.result import Line
from calculator.scoring.rules import BaseTier, Policy, YearRate


def si_base_line(recent: Recent, policy: Policy) -> Line:
    """第六条 加分(一) 缴纳职工社会保险费基数: the highest tier met counts."""
    checks = []
    reached: BaseTier | None = None
    as_of_month = recent.as_of_month
    longest = max((t.window for t in policy.base_tiers), default=0)
    for tier in sorted(policy.base_tiers, key=lambda t: -t.points):
        count = recent.count(tier.multiple, tier.window)
        ok = count >= tier.months
        checks.append(
            f"近 {tier.window} 个月 ≥{multiple_cn(tier.multiple)}平均工资 {count} 个月"
            f"（需 {tier.months} 个月，{tier.points} 分）" + ("✓" if ok else "✗")
        )
        if ok and reached is None:
            reached = tier
    span = f"统计期 {month_label(as_of_month - longest + 1)} 至 {month_label(as_of_month)}"
    points = reached.points if reached else 0
    head = f"计 {points} 分" if reached else "未达到任何档次，计 0 分"
    why = f"{head}。{span}，各月与当月适用的社会平均工资比较，不四舍五入：" + "；".join(checks) + "。"
    return Line("si_base", labels.INDICATOR["si_base"], points, True, why, "bonus")


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
    return Line("shortage_major", labels.INDICATOR["shortage_major"], points, True, why, "bonus")


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
    return Line("investment", labels.INDICATOR["investment"], points, True, why, "bonus")


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
    return Line("public_service", labels.INDICATOR["public_service"], points, True, why, "bonus")


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
    return Line("key_area", labels.INDICATOR["key_area"], points, True, why, "bonus")


def fresh_graduate_points(fresh_graduate: bool, policy: Policy) -> int:
    """第六条 加分(六) 全日制应届高校毕业生."""
    return policy.fresh_graduate_points if fresh_graduate else 0


def fresh_graduate_line(profile: Profile, policy: Policy) -> Line:
    """第六条 加分(六) 全日制应届高校毕业生."""
    points = fresh_graduate_points(profile.fresh_graduate, policy)
    why = f"全日制应届高校毕业生，计 {points} 分。" if profile.fresh_graduate else "非应届毕业生，0 分。"
    return Line("fresh_graduate", labels.INDICATOR["fresh_graduate"], points, True, why, "bonus")


def spouse_line(profile: Profile, policy: Policy) -> Line:
    """第六条 加分(七) 配偶为本市户籍人员."""
    years = profile.spouse_years
    points = per_year_points(years, policy.spouse)
    why = (
        f"配偶为本市户籍，结婚满 {years} 年（{rate_text(policy.spouse)}），计 {points} 分。"
        if years
        else "未填写与本市户籍配偶的结婚年限，0 分。"
    )
    return Line("spouse", labels.INDICATOR["spouse"], points, True, why, "bonus")


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
    return Line("award", labels.INDICATOR["award"], points, True, why, "bonus")


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
    return Line("talent", labels.INDICATOR["talent"], points, True, why, "bonus")
