"""The calculator's data: the policy editions and their tables, the average wages, the checklist's
texts, the data stamp, the record of loaded reference rows, the shared results and the rosters, one module each."""

from calculator.models.edition import (
    NEGATIVE_POINTS,
    POSITIVE_AMOUNT,
    POSITIVE_MULTIPLE,
    Award,
    AwardPoints,
    BaseTierRule,
    BaseTierRuleManager,
    DeductionCode,
    DeductionRule,
    EditionChild,
    EditionChildManager,
    Education,
    EducationPoints,
    PolicyEdition,
    PolicyEditionManager,
    Tier,
    TierPoints,
    YearRate,
    YearRateCode,
)
from calculator.models.materials import (
    FilingStep,
    Material,
    PreflightCheck,
    Strength,
    checklist_texts,
)
from calculator.models.reference import LoadedReference
from calculator.models.roster import (
    Progress,
    Roster,
    RosterChunk,
    RosterQuerySet,
    RosterRow,
    RosterRowQuerySet,
    RosterStatus,
    RowStatus,
)
from calculator.models.shared import SharedResult, SharedResultQuerySet
from calculator.models.stamp import DataVersion
from calculator.models.wages import AverageWage, AverageWageManager, first_of_month, month_text

__all__ = [
    "NEGATIVE_POINTS", "POSITIVE_AMOUNT", "POSITIVE_MULTIPLE", "Award", "AwardPoints", "AverageWage",
    "AverageWageManager", "BaseTierRule", "BaseTierRuleManager", "DataVersion", "DeductionCode", "DeductionRule",
    "EditionChild", "EditionChildManager", "Education", "EducationPoints", "FilingStep", "LoadedReference",
    "Material", "PolicyEdition", "PolicyEditionManager", "PreflightCheck", "Progress", "Roster", "RosterChunk",
    "RosterQuerySet", "RosterRow", "RosterRowQuerySet", "RosterStatus", "RowStatus", "SharedResult",
    "SharedResultQuerySet", "Strength", "Tier", "TierPoints", "YearRate", "YearRateCode", "checklist_texts",
    "first_of_month", "month_text",
]  # fmt: skip
