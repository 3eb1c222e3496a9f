import factory
from allauth.account.models import EmailAddress

from privacy import policy
from privacy.models import User

PASSWORD = "correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A customer with a verified e-mail address and the password PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    """One ledger row: a yes to marketing e-mail under the current policy version."""

    class Meta:
        model = "privacy.ConsentRecord"

    user = factory.SubFactory(UserFactory)
    purpose = "marketing-email"
    granted = True
    policy_version = factory.LazyFunction(lambda: policy.version_current().code)
    source = "dashboard"


class SecurityEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "privacy.SecurityEvent"

    user = factory.SubFactory(UserFactory)
    kind = "login"
    ip_address = "203.0.113.7"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0"
