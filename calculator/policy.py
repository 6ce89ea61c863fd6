"""The one loader: database rows of the edition in force -> a frozen scoring.Policy (cached).

Placeholder until the policy models land; the catalogue asks it for points per tier.
"""


def tier_points() -> dict[str, int] | None:
    """Points per certificate tier in the edition in force, or None while no policy is loaded."""
    return None
