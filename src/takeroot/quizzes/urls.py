
app_name = "quizzes"
urlpatterns = [
    # -- participant (answering) --
    # -- item bank --
    # -- results --
]
