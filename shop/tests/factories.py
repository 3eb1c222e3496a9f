import factory

from shop.models import (
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


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    class Params:
        server = factory.Trait(
            form_factor=FormFactor.RDIMM,
            ecc=True,
            registered=True,
            capacity_gb=32,
            speed_mts=3200,
        )
        desktop = factory.Trait(form_factor=FormFactor.DIMM)

    part_number = factory.Sequence(lambda n: f"OT-TEST-{n:05d}")
    slug = factory.LazyAttribute(lambda o: o.part_number.lower())
    brand = "Crucial"
    generation = Generation.DDR4
    form_factor = FormFactor.SODIMM
    capacity_gb = 16
    kit_size = 1
    speed_mts = 3200
    cas_latency = 22
    voltage_mv = 1200
    price_pence = 3999
    price_eur_cents = 4599
    stock = 10
    warranty_years = None


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manufacturer
        django_get_or_create = ("name",)

    name = "Lenovo"
    slug = factory.LazyAttribute(lambda o: o.name.lower())


class SystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = System

    class Params:
        soldered_only = factory.Trait(slots=0, soldered_gb=16, max_per_slot_gb=0, max_total_gb=16)
        server = factory.Trait(
            kind=SystemKind.SERVER,
            form_factor=FormFactor.RDIMM,
            slots=16,
            max_per_slot_gb=64,
            max_total_gb=1024,
            ecc_support=EccSupport.REQUIRED,
            supports_registered=True,
        )

    manufacturer = factory.SubFactory(ManufacturerFactory)
    model_line = "ThinkPad"
    model = factory.Sequence(lambda n: f"T{480 + n}")
    slug = factory.LazyAttribute(
        lambda o: f"{o.manufacturer.slug}-{o.model_line}-{o.model}".lower().replace(" ", "-")
    )
    kind = SystemKind.LAPTOP
    slots = 2
    soldered_gb = 0
    max_per_slot_gb = 32
    max_total_gb = 64
    generations = "DDR4"
    form_factor = FormFactor.SODIMM
    max_speed_mts = 3200


class SystemModuleOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SystemModuleOverride

    system = factory.SubFactory(SystemFactory)
    module = factory.SubFactory(ModuleFactory)
    kind = OverrideKind.PIN
