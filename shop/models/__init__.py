"""Shop models, one module per part of the shop."""

from shop.models.basket import Basket, BasketLine
from shop.models.catalog import (
    CatalogSource,
    EccCondition,
    EccSupport,
    FormFactor,
    Generation,
    Manufacturer,
    Module,
    OverrideKind,
    System,
    SystemKind,
    SystemModuleOverride,
)
from shop.models.fulfilment import (
    ClaimReason,
    ClaimStatus,
    ReviewInvitation,
    SmsMessage,
    SmsStatus,
    WarrantyClaim,
    WarrantyClaimEvent,
)
from shop.models.orders import (
    Address,
    Country,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    SalesStatistics,
)
from shop.models.payments import Payment, PaymentEvent, PaymentStatus, Refund, RefundStatus
from shop.models.returns import Withdrawal, WithdrawalLine, WithdrawalStatus

__all__ = [
    "ClaimReason",
    "ClaimStatus",
    "ReviewInvitation",
    "SmsMessage",
    "SmsStatus",
    "WarrantyClaim",
    "WarrantyClaimEvent",
    "Address",
    "Basket",
    "BasketLine",
    "Country",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "Payment",
    "PaymentEvent",
    "PaymentStatus",
    "Refund",
    "RefundStatus",
    "SalesStatistics",
    "CatalogSource",
    "EccCondition",
    "EccSupport",
    "FormFactor",
    "Generation",
    "Manufacturer",
    "Module",
    "OverrideKind",
    "System",
    "SystemKind",
    "SystemModuleOverride",
    "Withdrawal",
    "WithdrawalLine",
    "WithdrawalStatus",
]
