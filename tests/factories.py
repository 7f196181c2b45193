"""Test data builders that go through the same services as the product where it matters."""

from __future__ import annotations

import factory

from hireslot.accounts.models import Membership, Organization, Plan, Role, User
from hireslot.recruiting.models import Candidate, InterviewTemplate, Job


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    plan = Plan.SCALE
    default_time_zone = "UTC"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.RECRUITER


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Sequence(lambda n: f"Candidate{n}")
    last_name = "Example"
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")


class InterviewTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewTemplate

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Interview {n}")
    duration_minutes = 45


def job_with_stages(organization: Organization, title: str = "Engineer") -> Job:
    from hireslot.recruiting.services import job_create

    return job_create(organization=organization, title=title)
