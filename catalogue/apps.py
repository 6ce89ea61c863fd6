from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "证书目录"

    def ready(self) -> None:
        from calculator import certificates
        from catalogue import lookup

        certificates.install(lookup)
