"""Demo surveys: finished surveys in Nordwind's customer-conversations programme, created and
closed through the distribution services and answered through the responding service (so
anonymity is kept exactly as in real use). They are opened in the past without invitation mail.

- A reaction survey of the finished Kraków cohort: eleven of fourteen answered, with comments, so
  every result and the comments are shown.
- A mid-training pulse of the running cohort that only three people answered: "not enough
  responses" everywhere.
- A behaviour follow-up of the finished cohort, 75 days after it ended: the participants rate
  themselves, their shift leaders rate them (a few people: held back in a breakdown).
- A 360° about the demo manager (self, their manager, peers and direct reports), which the demo
  manager reads as their own report.

Called by core's demo builder once per demo workspace, inside its scope and transaction, after
the programmes demo. Every random choice comes from the ``rng`` passed in.
"""

import datetime
import random

from takeroot.core.demo import DEMO_SLUGS, LOGIN_EMAILS
from takeroot.core.models import Person, Workspace
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Programme

from .distribution import close_survey, create_survey
from .enums import Anonymity, RaterGroup, SurveyQuestionKind, SurveyState
from .library import create_from_template
from .models import Recipient, Survey, SurveyQuestion, text_in
from .responding import issue_ballot, questions_for, submit

PROGRAMME = "Customer conversations that stick"

COMMENTS = [
    "More time for role play with real recordings, please.",
    "The LEAP steps were the most useful part; I used them the next day.",
    "Day two was too long; split it into two afternoons.",
    "Examples from our own desk would help more than the generic ones.",
    "Good trainer, clear explanations, answered every question.",
    "I would like a short refresher on closing calls after a month.",
    "The complaints module came too early, before we had practised listening.",
    "Less theory about emotions, more phrases we can actually say.",
    "Fine as it is.",
    "The handout with phrases is on my desk now.",
    "Please invite the shift leaders to the last session too.",
]
PULSE_COMMENTS = ["Going well so far.", "A bit fast on day two.", "More practice time please."]
BEHAVIOUR_COMMENTS = [
    "A customer shouted about a late delivery; I named the frustration first and he calmed down.",
    "I now summarise the need before I open the order screen.",
    "Used the LEAP steps on a damaged-parcel complaint, solved in one call.",
    "I still forget the closing summary when the queue is long.",
    "Friday call reviews with the shift leader keep me practising.",
    "More time between calls to write proper case notes would help.",
    "A refresher session after three months.",
    "Recordings of good calls from our own desk to listen to.",
    "Nothing in the way, it has become a habit.",
    "The new script on the phone system still uses the old opening.",
]
STRENGTHS = [
    "Explains decisions and the reasons behind them.",
    "Always has time when something goes wrong on a shift.",
    "Calm under pressure, even on peak days.",
    "Knows the customers and the systems better than anyone.",
    "Fair when planning shifts and holidays.",
    "Gives credit to the team in front of others.",
    "Follows up on what was agreed.",
    "Open to new ideas from the floor.",
    "Good at getting other departments to help us.",
    "Honest feedback, given privately.",
    "Keeps meetings short.",
    "Protects the team from last-minute changes.",
    "Clear about priorities.",
]
IMPROVEMENTS = [
    "Delegate more instead of fixing things himself.",
    "Share plans earlier, not on the day.",
    "Give feedback more often, not only at reviews.",
    "Listen to the end before answering.",
    "Say no to other managers more often.",
    "Spend more time on the floor in the afternoon shift.",
    "Write shorter e-mails.",
    "Explain the numbers he reports upwards.",
    "Ask for our view before deciding on tools.",
    "Fewer meetings on Mondays.",
    "Recognise the quieter people in the team too.",
    "Keep one-to-ones even on busy weeks.",
    "Be clearer about what he expects.",
]


def build_surveys_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Add the finished demo surveys to Nordwind; other workspaces get nothing."""
    counts = {"surveys": 0, "survey responses": 0}
    programme = Programme.objects.filter(workspace=workspace, name=PROGRAMME).first()
    if workspace.slug != DEMO_SLUGS[0] or programme is None:
        return counts
    admin = Person.objects.filter(workspace=workspace, user__email=LOGIN_EMAILS["admin"]).first()
    actor = admin.user if admin else None
    cohorts = list(Cohort.objects.filter(programme=programme).order_by("starts_on", "pk"))
    finished = [cohort for cohort in cohorts if cohort.ends_on < today]
    running = [cohort for cohort in cohorts if cohort.starts_on <= today <= cohort.ends_on]
    maker = _Maker(workspace, rng, actor)
    if finished:
        cohort = finished[-1]
        people = _enrolled(cohort)
        reaction = create_from_template(workspace=workspace, key="reaction", actor=actor, programme=programme)
        maker.survey(
            reaction,
            cohort=cohort,
            title="After the workshop",
            opens=cohort.ends_on,
            raters=[(person, RaterGroup.PARTICIPANT) for person in people],
            answering=11,
            comments=[COMMENTS],
        )
        behaviour = create_from_template(workspace=workspace, key="behaviour", actor=actor, programme=programme)
        managers = {person.manager for person in people if person.manager_id}
        colleagues = Person.objects.filter(workspace=workspace, team_id__in={p.team_id for p in people if p.team_id})
        peers = list(colleagues.exclude(pk__in=[p.pk for p in people] + [m.pk for m in managers]).order_by("pk")[:7])
        maker.survey(
            behaviour,
            cohort=cohort,
            title="75 days later: what do you use?",
            opens=cohort.ends_on + datetime.timedelta(days=75),
            raters=[(person, RaterGroup.SELF) for person in people]
            + [(manager, RaterGroup.MANAGER) for manager in sorted(managers, key=lambda p: p.pk)]
            + [(peer, RaterGroup.PEER) for peer in peers],
            answering=len(people) + len(managers) + len(peers) - 3,
            comments=[BEHAVIOUR_COMMENTS[:5], BEHAVIOUR_COMMENTS[5:]],
        )
    if running:
        cohort = running[0]
        pulse = create_from_template(workspace=workspace, key="pulse", actor=actor, programme=programme)
        maker.survey(
            pulse,
            cohort=cohort,
            title="Halfway pulse",
            opens=max(cohort.starts_on + datetime.timedelta(days=2), today - datetime.timedelta(days=14)),
            raters=[(person, RaterGroup.PARTICIPANT) for person in _enrolled(cohort)],
            answering=3,
            comments=[PULSE_COMMENTS],
            days_open=min(7, max(1, (today - cohort.starts_on).days - 3)),
        )
        # Still open, so that the demo participant has a survey waiting for an answer.
        waiting = Person.objects.filter(workspace=workspace, user__email=LOGIN_EMAILS["participant"]).first()
        maker.survey(
            pulse,
            cohort=cohort,
            title="Pulse before the closing session",
            opens=today - datetime.timedelta(days=2),
            raters=[(person, RaterGroup.PARTICIPANT) for person in _enrolled(cohort)],
            answering=4,
            comments=[PULSE_COMMENTS],
            days_open=7,
            left_open=True,
            not_answering=waiting,
        )
    subject = Person.objects.filter(workspace=workspace, user__email=LOGIN_EMAILS["manager"]).first()
    if subject is not None:
        feedback = create_from_template(workspace=workspace, key="360", actor=actor)
        maker.survey(
            feedback,
            subject=subject,
            title=f"360° feedback for {subject.user.name}",
            opens=today - datetime.timedelta(days=40),
            raters=_raters_of(subject),
            answering=None,
            comments=[STRENGTHS, IMPROVEMENTS],
        )
    counts["surveys"], counts["survey responses"] = maker.surveys, maker.responses
    return counts


def _enrolled(cohort: Cohort) -> list[Person]:
    found = cohort.enrolments.filter(status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED))
    return [enrolment.person for enrolment in found.select_related("person__user", "person__manager").order_by("pk")]


def _raters_of(subject: Person) -> list[tuple[Person, str]]:
    """The subject themself, their manager, six peers (same manager, else same team) and up to
    six direct reports."""
    raters = [(subject, RaterGroup.SELF)]
    if subject.manager_id:
        raters.append((subject.manager, RaterGroup.MANAGER))
    taken = {subject.pk, subject.manager_id}
    reports = list(Person.objects.filter(manager=subject).exclude(pk__in=taken).order_by("pk")[:6])
    taken |= {person.pk for person in reports}
    peers = Person.objects.filter(workspace=subject.workspace).exclude(pk__in=taken)
    same_manager = list(peers.filter(manager_id=subject.manager_id).order_by("pk")[:6]) if subject.manager_id else []
    if len(same_manager) < 6:
        taken |= {person.pk for person in same_manager}
        same_manager += list(
            peers.exclude(pk__in=taken).filter(team_id=subject.team_id).order_by("pk")[: 6 - len(same_manager)]
        )
    raters += [(person, RaterGroup.PEER) for person in same_manager]
    raters += [(person, RaterGroup.REPORT) for person in reports]
    return raters


class _Maker:
    """Opens a survey in the past, has people answer it on the days after, then closes it."""

    def __init__(self, workspace: Workspace, rng: random.Random, actor):
        self.workspace, self.rng, self.actor = workspace, rng, actor
        self.surveys = self.responses = 0

    def survey(
        self,
        instrument,
        *,
        title,
        opens,
        raters,
        answering,
        comments,
        cohort=None,
        subject=None,
        days_open=14,
        left_open=False,
        not_answering=None,
    ):
        """A survey opened on ``opens`` and answered by ``answering`` of the ``raters`` (all with
        None) over ``days_open`` days, then closed; ``left_open`` surveys stay open, answered in
        their first two days only, and ``not_answering`` (a person) is never among those who
        answered."""
        opened = datetime.datetime.combine(opens, datetime.time(8, 0), tzinfo=datetime.UTC)
        closes = opened + datetime.timedelta(days=days_open)
        survey = create_survey(
            instrument=instrument,
            actor=self.actor,
            title=title,
            anonymity=instrument.anonymity,
            closes_at=closes,
            cohort=cohort,
            subject=subject,
            recipients=raters,
            now=opened - datetime.timedelta(days=1),
        )
        # Opened in the past: no invitation mail is queued for a demo survey that has long closed.
        Survey.objects.filter(pk=survey.pk).update(state=SurveyState.OPEN, opened_at=opened)
        Recipient.objects.filter(survey=survey).update(invited_at=opened)
        survey.refresh_from_db()
        recipients = list(Recipient.objects.filter(survey=survey).select_related("person").order_by("pk"))
        if not_answering is not None:
            recipients = [recipient for recipient in recipients if recipient.person_id != not_answering.pk]
        answering = len(recipients) if answering is None else min(answering, len(recipients))
        chosen = self.rng.sample(recipients, answering)
        answer_days = 2 if left_open else days_open
        texts = [q.pk for q in instrument.questions.all() if q.kind == SurveyQuestionKind.TEXT]
        remarks = {pk: list(comments[i % len(comments)]) for i, pk in enumerate(texts)}
        for pool in remarks.values():
            self.rng.shuffle(pool)
        for recipient in chosen:
            mood = self.rng.uniform(-1, 1)
            answers = {
                str(question.uuid): value
                for question in questions_for(survey, recipient.rater_group)
                if (value := self._answer(question, mood, remarks.get(question.pk, []))) is not None
            }
            ballot = issue_ballot(survey, recipient.person) if survey.anonymity == Anonymity.ANONYMOUS else None
            at = opened + datetime.timedelta(days=self.rng.randint(0, answer_days - 1), hours=self.rng.randint(0, 9))
            submit(survey=survey, person=recipient.person, answers=answers, ballot=ballot, now=at)
            self.responses += 1
        if not left_open:
            close_survey(survey=survey, actor=self.actor, now=closes)
        self.surveys += 1
        return survey

    def _answer(self, question: SurveyQuestion, mood: float, remarks: list[str]):
        rng, kind = self.rng, question.kind
        text = text_in(question.content, "en")
        if kind == SurveyQuestionKind.TEXT:
            return remarks.pop() if remarks and rng.random() < 0.9 else None
        if kind == SurveyQuestionKind.SCALE_10:
            return max(0, min(10, round(8.6 + 1.5 * mood + rng.gauss(0, 0.8))))
        if kind == SurveyQuestionKind.SINGLE:
            options = len(text.get("options") or [])
            return rng.choices(range(options), weights=[1] + [3] * (options - 1))[0] if options else None
        if kind == SurveyQuestionKind.MULTIPLE:
            options = len(text.get("options") or [])
            return sorted(rng.sample(range(options), k=min(options, rng.randint(1, 2)))) if options else None
        points = {SurveyQuestionKind.LIKERT_5: 5, SurveyQuestionKind.LIKERT_7: 7}.get(kind, question.scale_points)

        def point() -> int:
            return max(1, min(points, round(points * 0.8 + mood * points / 5 + rng.gauss(0, 0.6))))

        if kind == SurveyQuestionKind.MATRIX:
            return [point() for _row in text.get("rows") or []]
        return point()
