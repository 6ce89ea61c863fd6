"""CSV/XLSX import and export of the catalogue (django-import-export), keyed by the natural keys.

An import is all or nothing: the admin first shows a dry-run preview of every row (new, changed,
unchanged, or the error with its line number); one invalid row and nothing is written.
"""

from import_export import fields, resources, widgets

from catalogue.models import Certificate, Trade

COMMON_FIELDS = ("aliases", "status", "note", "source", "active", "position")


def text_field(name: str) -> fields.Field:
    """A TextField column: an empty cell (None in XLSX) imports as "", not as NULL."""
    return fields.Field(attribute=name, column_name=name, widget=widgets.CharWidget(allow_blank=True))


class AllOrNothingResource(resources.ModelResource):
    aliases = text_field("aliases")
    note = text_field("note")
    source = text_field("source")
    position = fields.Field(attribute="position", column_name="position", widget=widgets.IntegerWidget(), default=0)

    def import_data(
        self,
        dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = True,
        **kwargs,
    ):
        """Roll back the whole import when any row fails validation, not only on exceptions."""
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )


class CertificateResource(AllOrNothingResource):
    class Meta:
        model = Certificate
        import_id_fields = ("kind", "series", "name")
        fields = ("kind", "series", "name", "level", "tier", "registration", *COMMON_FIELDS)
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class TradeResource(AllOrNothingResource):
    class Meta:
        model = Trade
        import_id_fields = ("name",)
        fields = ("name", "listing", *COMMON_FIELDS)
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
