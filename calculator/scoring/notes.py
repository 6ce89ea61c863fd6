"""Notes the result carries (RULES.md §6 and its [decision]s): the disclaimer of every result, and the
site's decisions that a profile touches."""

from __future__ import annotations

from calculator.scoring.profile import Profile, SIPeriod
from calculator.scoring.rules import Policy


def disclaimer(policy: Policy) -> tuple[str, ...]:
    """RULES.md §6: what every result says about itself, with the edition's own numbers."""
    false_material = policy.deductions["false_material"]
    return (
        "模拟结果仅供参考，正式积分以人力资源和社会保障部门依据材料审核认定为准。",
        f"只申报能提供证明的内容：提供虚假材料每次扣 {-false_material.points} 分，"
        f"且可能 {false_material.window_years} 年内不得申请积分。",
        f"居住证积分（标准分值 {policy.threshold} 分）不等于居转户（居住证转办常住户口）。",
    )


DECISION_AGE = "【本站口径】年龄按评估日（as_of）的周岁计算。"
DECISION_BEST_CERT = "【本站口径】持有多本证书时，只计分值最高的一本。"
DECISION_OVERLAP = "【本站口径】社保缴费期间重叠时，同一月份只计一次，基数取较高者。"
DECISION_INVEST = "【本站口径】投资纳税与带动就业两条途径取较高者，不叠加。"
DECISION_KEY_AREA = "【本站口径】远郊重点区域与临港新片区专项加分不叠加，取较高者。"
DECISION_AWARD = "【本站口径】多项表彰奖励只计最高的一项。"
DECISION_TALENT = "【本站口径】创业人才、创新创业中介服务人才加分计一次（{points} 分），不按项目累加。"


def _has_overlap(periods: tuple[SIPeriod, ...], as_of_month: int) -> bool:
    spans = sorted((p.start, as_of_month if p.end is None else p.end) for p in periods)
    return any(b[0] <= a[1] for a, b in zip(spans, spans[1:], strict=False))


def decision_notes(profile: Profile, policy: Policy, as_of_month: int) -> tuple[str, ...]:
    """The [decision]s of RULES.md this profile touches, each said once under the result."""
    notes = [DECISION_AGE]
    if profile.certificate is not None:
        notes.append(DECISION_BEST_CERT)
    if _has_overlap(profile.si_periods, as_of_month):
        notes.append(DECISION_OVERLAP)
    if profile.invest_tax >= policy.investment_tax_step and profile.invest_hires >= policy.investment_hires_step:
        notes.append(DECISION_INVEST)
    if profile.remote_years and profile.lingang_years:
        notes.append(DECISION_KEY_AREA)
    if profile.award != "none":
        notes.append(DECISION_AWARD)
    if profile.talent != "none":
        notes.append(DECISION_TALENT.format(points=policy.talent_points))
    return tuple(notes)
