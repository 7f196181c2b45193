from django.urls import path

from hireslot.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("<str:token>", views.candidate_page, name="candidate-page"),
    path("<str:token>/zone", views.candidate_zone, name="candidate-zone"),
    path("<str:token>/slots", views.candidate_slots, name="candidate-slots"),
    path("<str:token>/book", views.candidate_book, name="candidate-book"),
    path("<str:token>/reschedule", views.candidate_reschedule, name="candidate-reschedule"),
    path("<str:token>/availability", views.candidate_availability, name="candidate-availability"),
    path("<str:token>/cancel", views.candidate_cancel, name="candidate-cancel"),
    path("<str:token>/invite.ics", views.candidate_invite, name="candidate-invite"),
]
