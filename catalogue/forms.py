from django import forms

LIMIT_ERROR = "请输入 1 到 100 之间的整数"
Q_ERROR = "搜索词最多 100 个字"


class SearchForm(forms.Form):
    """The query string of the catalogue page, the suggestion list and the API."""

    q = forms.CharField(
        label="搜索证书、职称或工种",
        required=False,
        max_length=100,
        error_messages={"max_length": Q_ERROR},
    )


class ApiSearchForm(SearchForm):
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        error_messages={"invalid": LIMIT_ERROR, "min_value": LIMIT_ERROR, "max_value": LIMIT_ERROR},
    )

    def clean_limit(self) -> int:
        return self.cleaned_data["limit"] or 20
