from datetime import date

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, QuerySet, TextChoices
from django.db.models.functions import TruncDate
from django.http import HttpRequest

from calculator import models
from jifen_site.history import HistoryAdmin, RetireAdmin

# A copied edition starts here, far in the future, so it applies to no evaluation date until staff set its date.
PLACEHOLDER_DATE = date(9999, 12, 31)


class FixedRowsInline(admin.TabularInline):
    """A table with one row per code: every code present exactly once, none deletable, none extra,
    so the scoring never meets a missing row."""

    extra = 0
    can_delete = False
    codes: type[TextChoices]

    def get_min_num(self, request, obj=None, **kwargs) -> int:
        return len(self.codes)

    def get_max_num(self, request, obj=None, **kwargs) -> int:
        return len(self.codes)


class EducationPointsInline(FixedRowsInline):
    model = models.EducationPoints
    codes = models.Education


class TierPointsInline(FixedRowsInline):
    model = models.TierPoints
    codes = models.Tier


class BaseTierRuleInline(admin.TabularInline):
    model = models.BaseTierRule
    extra = 0
    min_num = 1


class YearRateInline(FixedRowsInline):
    model = models.YearRate
    codes = models.YearRateCode


class AwardPointsInline(FixedRowsInline):
    model = models.AwardPoints
    codes = models.Award


class DeductionRuleInline(FixedRowsInline):
    model = models.DeductionRule
    codes = models.DeductionCode


@admin.register(models.PolicyEdition)
class PolicyEditionAdmin(HistoryAdmin):
    list_display = ["name", "document", "effective_from", "threshold"]
    search_fields = ["name", "document"]
    actions = ["copy_editions"]
    fieldsets = [
        (None, {"fields": ["name", "document", "effective_from", "written_until", "threshold"]}),
        (
            "年龄",
            {"fields": ["age_min", "age_base_from", "age_max", "age_base_points", "age_per_year", "age_cap"]},
        ),
        (
            "职称/技能的社保基数条件",
            {"fields": ["base_test_multiple", "base_test_window", "base_test_months"]},
        ),
        ("社保缴费年限", {"fields": ["si_points_per_year", "si_min_years", "si_cap"]}),
        (
            "其他加分",
            {
                "fields": [
                    "shortage_major_points",
                    "investment_tax_step",
                    "investment_hires_step",
                    "investment_points_per_step",
                    "investment_cap",
                    "investment_years",
                    "fresh_graduate_points",
                    "fresh_graduate_months",
                    "talent_points",
                ]
            },
        ),
        ("申请条件", {"fields": ["eligibility_months", "eligibility_window"]}),
    ]
    inlines = [
        EducationPointsInline,
        TierPointsInline,
        BaseTierRuleInline,
        YearRateInline,
        AwardPointsInline,
        DeductionRuleInline,
    ]

    @admin.action(description="复制为新版本（生效日期为 9999-12-31，请改为实际日期）")
    def copy_editions(self, request: HttpRequest, queryset: QuerySet[models.PolicyEdition]) -> None:
        if queryset.count() != 1 or models.PolicyEdition.objects.filter(effective_from=PLACEHOLDER_DATE).exists():
            self.message_user(request, "请只选择一个版本，并先修改已有的 9999-12-31 草稿版本。", messages.ERROR)
            return
        edition = queryset.get()
        with transaction.atomic():
            draft = edition.copy(PLACEHOLDER_DATE, name=f"{edition.name}（草稿）")
        self.message_user(request, f"已复制为“{draft}”：修改生效日期和分值后保存即可。", messages.SUCCESS)


@admin.register(models.AverageWage)
class AverageWageAdmin(HistoryAdmin):
    list_display = ["period", "average", "ceiling", "floor", "confidence"]
    search_fields = ["source", "confidence"]
    fields = ["start", "end", "average", "ceiling", "floor", "confidence", "source"]

    @admin.display(description="期间", ordering="start")
    def period(self, obj: models.AverageWage) -> str:
        return obj.period


@admin.register(models.SharedResult)
class SharedResultAdmin(admin.ModelAdmin):
    """Snapshots are read-only; staff can only revoke them. The list shows how many were made per day."""

    list_display = ("slug", "total", "created_at", "expires_at", "revoked")
    list_filter = ("revoked", "created_at")
    date_hierarchy = "created_at"
    search_fields = ("slug",)
    readonly_fields = ("slug", "query", "result", "certificate", "created_at", "expires_at", "client")
    fields = ("slug", "revoked", "created_at", "expires_at", "query", "certificate", "result", "client")
    actions = ["revoke"]
    change_list_template = "admin/calculator/sharedresult/change_list.html"

    @admin.display(description="总分")
    def total(self, obj: models.SharedResult) -> int | None:
        return obj.total

    @admin.action(description="撤销所选的分享链接")
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(revoked=True)
        self.message_user(request, f"已撤销 {count} 个分享链接。", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        per_day = (
            models.SharedResult.objects.annotate(day=TruncDate("created_at"))
            .values("day")
            .annotate(count=Count("pk"))
            .order_by("-day")[:14]
        )
        return super().changelist_view(request, {**(extra_context or {}), "per_day": per_day})


class TextAdmin(RetireAdmin):
    """The checklist's texts: history of every change; retire instead of delete (only a superuser deletes)."""

    list_editable = ["position"]


@admin.register(models.Material)
class MaterialAdmin(TextAdmin):
    history_list_display = ["item", "condition", "active"]
    list_display = ["item", "group", "form", "provider", "condition", "strength", "position", "active"]
    list_filter = ["group", "provider", "condition", "strength", "active"]
    search_fields = ["item", "form", "key"]
    fields = [
        "key", "group", "item", "form", "provider", "provider_text", "condition", "strength", "position", "active",
    ]  # fmt: skip


@admin.register(models.PreflightCheck)
class PreflightCheckAdmin(TextAdmin):
    history_list_display = ["message", "active"]
    list_display = ["code", "message", "strength", "position", "active"]
    list_filter = ["strength", "active"]
    search_fields = ["message", "code"]
    fields = ["code", "message", "fallback", "strength", "position", "active"]


@admin.register(models.FilingStep)
class FilingStepAdmin(TextAdmin):
    history_list_display = ["text", "active"]
    list_display = ["text", "strength", "position", "active"]
    list_filter = ["strength", "active"]
    search_fields = ["text", "key"]
    fields = ["key", "text", "strength", "position", "active"]
