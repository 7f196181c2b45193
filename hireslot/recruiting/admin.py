from django.contrib import admin

from hireslot.recruiting.models import (
    Application,
    Candidate,
    InterviewTemplate,
    Job,
    StageChange,
    Task,
    TaskTemplate,
    WorkflowStage,
)


class WorkflowStageInline(admin.TabularInline[WorkflowStage, Job]):
    model = WorkflowStage
    extra = 0
    fields = ["position", "name"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ["title", "organization", "status", "hiring_manager"]
    list_filter = ["status", "organization"]
    search_fields = ["title"]
    inlines = [WorkflowStageInline]


@admin.register(WorkflowStage)
class WorkflowStageAdmin(admin.ModelAdmin[WorkflowStage]):
    list_display = ["name", "job", "position", "organization"]
    list_filter = ["organization"]


class StageChangeInline(admin.TabularInline[StageChange, Application]):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "actor", "created_at"]
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ["candidate", "job", "current_stage", "organization"]
    list_filter = ["organization"]
    search_fields = ["candidate__first_name", "candidate__last_name", "candidate__email"]
    inlines = [StageChangeInline]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin[Candidate]):
    list_display = ["first_name", "last_name", "email", "organization"]
    list_filter = ["organization"]
    search_fields = ["first_name", "last_name", "email"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin[Task]):
    list_display = ["title", "assignee", "due_at", "done", "organization"]
    list_filter = ["done", "organization"]


@admin.register(InterviewTemplate)
class InterviewTemplateAdmin(admin.ModelAdmin[InterviewTemplate]):
    list_display = ["name", "duration_minutes", "organization"]
    list_filter = ["organization"]


@admin.register(TaskTemplate)
class TaskTemplateAdmin(admin.ModelAdmin[TaskTemplate]):
    list_display = ["name", "title", "assignee_rule", "organization"]
    list_filter = ["organization"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin[StageChange]):
    list_display = ["application", "from_stage", "to_stage", "actor", "created_at"]
    list_filter = ["organization"]
