"""A company whose "Technical Screen" takes Nora (the hiring manager) plus one engineer from
the "Engineering interviewers" pool."""

from __future__ import annotations

from dataclasses import dataclass

from hireslot.accounts.models import Role, User
from hireslot.accounts.services import membership_add
from hireslot.scheduling.models import InterviewerPool, SelfScheduleTemplate
from hireslot.scheduling.services import pool_create, pool_member_add
from hireslot.scheduling.services.templates import self_schedule_template_save

from .conftest import Company, person


@dataclass
class PoolCompany:
    company: Company
    pool: InterviewerPool
    engineers: list[User]

    @property
    def template(self) -> SelfScheduleTemplate:
        return self.company.template


def pool_company_build(company: Company, names: list[str], **rules: object) -> PoolCompany:
    slug = company.organization.slug
    pool = pool_create(organization=company.organization, name="Engineering interviewers")
    engineers = []
    for name in names:
        first = name.split()[0].lower()
        user = person(f"{first}@{slug}.example", name, "America/New_York", **rules)
        membership_add(user=user, organization=company.organization, role=Role.INTERVIEWER)
        pool_member_add(pool=pool, user=user)
        engineers.append(user)
    template = company.template
    self_schedule_template_save(
        template=template,
        interviewers=list(template.interviewers.all()),
        notify_users=[],
        pools=[pool],
    )
    return PoolCompany(company, pool, engineers)
