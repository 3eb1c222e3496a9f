"""Shop models, one module per part of the shop."""

from shop.models.catalog import (
    FormFactor,
    Generation,
    Manufacturer,
    Module,
    OverrideKind,
    System,
    SystemKind,
    SystemModuleOverride,
)

__all__ = [
    "FormFactor",
    "Generation",
    "Manufacturer",
    "Module",
    "OverrideKind",
    "System",
    "SystemKind",
    "SystemModuleOverride",
]
