from django.apps import AppConfig


class AnswersConfig(AppConfig):
    name = "forum.answers"
    label = "answers"
    verbose_name = "Answers"
