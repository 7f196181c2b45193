"""The Templates page and its editors (included from hireslot.web.urls, namespace "web").

``templates/interviews/<id>/`` stays the interview template's page in hireslot.web.urls
(calendar events link to it); its editor is ``templates/interviews/<id>/edit/``.
"""

from django.urls import URLPattern, path

from hireslot.web.views import templates as template_views

# URL prefix, URL-name prefix and kind; the editor of an interview template is <id>/edit/.
_KINDS = (
    ("self-schedule", "self-schedule", ""),
    ("email", "email", ""),
    ("task", "task", ""),
    ("interviews", "interview", "edit/"),
)


def _patterns(prefix: str, kind: str, edit_suffix: str) -> list[URLPattern]:
    base = f"templates/{prefix}/"
    kwargs = {"kind": kind}
    return [
        path(f"{base}new/", template_views.template_create, kwargs, f"{kind}-template-create"),
        path(
            f"{base}<str:template_id>/{edit_suffix}",
            template_views.template_edit,
            kwargs,
            f"{kind}-template-edit",
        ),
        path(
            f"{base}<str:template_id>/duplicate/",
            template_views.template_duplicate_view,
            kwargs,
            f"{kind}-template-duplicate",
        ),
        path(
            f"{base}<str:template_id>/delete/",
            template_views.template_delete_view,
            kwargs,
            f"{kind}-template-delete",
        ),
    ]


urlpatterns: list[URLPattern] = [
    # Shows self-schedule templates and the actions too; it answers before the plain list
    # in hireslot.web.urls, which has the same name and address.
    path("templates/", template_views.template_list, name="template-list"),
    path(
        "templates/email/preview/",
        template_views.email_template_preview,
        name="email-template-preview",
    ),
]
for _prefix, _kind, _edit_suffix in _KINDS:
    urlpatterns += _patterns(_prefix, _kind, _edit_suffix)
