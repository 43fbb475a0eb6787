"""The ready templates: complete in four languages, aligned, and turned into questionnaires."""

import pytest

from takeroot.core.models import AuditEntry
from takeroot.surveys.enums import Anonymity, InstrumentKind, Measure, RaterGroup, SurveyQuestionKind
from takeroot.surveys.instruments import check_question
from takeroot.surveys.library import TEMPLATES, create_from_template
from takeroot.surveys.models import Instrument, SurveyQuestion

LANGUAGES = {"en", "pl", "sv", "zh-hans"}


def test_the_five_templates_exist():
    assert set(TEMPLATES) == {"reaction", "behaviour", "360", "feedback_session", "pulse"}
    kinds = {key: template["kind"] for key, template in TEMPLATES.items()}
    assert kinds == {
        "reaction": InstrumentKind.REACTION,
        "behaviour": InstrumentKind.BEHAVIOUR,
        "360": InstrumentKind.FEEDBACK_360,
        "feedback_session": InstrumentKind.FEEDBACK_SESSION,
        "pulse": InstrumentKind.PULSE,
    }


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_template_is_written_out_in_four_languages(key):
    template = TEMPLATES[key]
    assert set(template["content"]) == LANGUAGES
    for text in template["content"].values():
        assert text["title"].strip() and text["introduction"].strip()
    for question in template["questions"]:
        assert set(question["content"]) == LANGUAGES
        for text in question["content"].values():
            assert text["prompt"].strip()
        for part in ("options", "rows"):
            counts = {len(text.get(part, [])) for text in question["content"].values()}
            assert len(counts) == 1, (key, question["content"]["en"]["prompt"], part)
        for end in ("low", "high"):
            assert len({bool(text.get(end)) for text in question["content"].values()}) == 1


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_template_questions_pass_the_same_checks_as_written_ones(key, workspace):
    instrument = Instrument(workspace=workspace)
    for question in TEMPLATES[key]["questions"]:
        fields = {name: question[name] for name in ("kind", "content", "scale_points", "required", "measure")}
        cleaned = check_question(instrument=instrument, rater_groups=question["rater_groups"], **fields)
        assert cleaned["content"] == question["content"]


def test_reaction_measures_the_new_world_level_one():
    measures = [question["measure"] for question in TEMPLATES["reaction"]["questions"]]
    assert measures == [
        Measure.USEFULNESS,
        Measure.RELEVANCE,
        Measure.TRAINER_EFFECTIVENESS,
        Measure.CONFIDENCE,
        Measure.COMMITMENT,
        Measure.RECOMMENDATION,
        Measure.NONE,
    ]
    kinds = [question["kind"] for question in TEMPLATES["reaction"]["questions"]]
    assert kinds[5] == SurveyQuestionKind.SCALE_10
    assert kinds[6] == SurveyQuestionKind.TEXT


def test_behaviour_and_360_word_questions_per_rater_group():
    behaviour = TEMPLATES["behaviour"]["questions"]
    matrices = [q for q in behaviour if q["kind"] == SurveyQuestionKind.MATRIX]
    assert [q["rater_groups"] for q in matrices] == [["self"], ["manager", "peer"]]
    assert all(q["measure"] == Measure.BEHAVIOUR_FREQUENCY for q in matrices)
    assert matrices[0]["content"]["en"]["rows"][0].startswith("I ")
    assert matrices[1]["content"]["en"]["rows"][0].startswith("This person ")
    assert matrices[0]["content"]["en"]["low"] == "Never"
    groups = {group for q in TEMPLATES["360"]["questions"] for group in q["rater_groups"]}
    assert groups == {RaterGroup.SELF, RaterGroup.MANAGER, RaterGroup.PEER, RaterGroup.REPORT}


def test_feedback_session_asks_seed_004s_questions():
    prompts = [q["content"]["sv"]["prompt"] for q in TEMPLATES["feedback_session"]["questions"]]
    assert "Hur har den nya kunskapen påverkat ditt dagliga arbete?" in prompts
    assert "Finns det ytterligare stöd eller resurser som du behöver?" in prompts


def test_default_anonymity_per_template():
    anonymity = {key: template["anonymity"] for key, template in TEMPLATES.items()}
    assert anonymity == {
        "reaction": Anonymity.CONFIDENTIAL,
        "behaviour": Anonymity.CONFIDENTIAL,
        "360": Anonymity.CONFIDENTIAL,
        "feedback_session": Anonymity.NAMED,
        "pulse": Anonymity.CONFIDENTIAL,
    }
    assert 3 <= len(TEMPLATES["pulse"]["questions"]) <= 4


def test_create_from_template_copies_everything_and_is_audited(programme, cast):
    instrument = create_from_template(
        workspace=programme.workspace, key="behaviour", actor=cast["trainer"].user, programme=programme
    )
    assert (instrument.kind, instrument.template, instrument.programme) == ("behaviour", "behaviour", programme)
    assert instrument.content["pl"]["title"] == "Szkolenie w praktyce"
    questions = list(SurveyQuestion.objects.filter(instrument=instrument).order_by("position"))
    assert [q.position for q in questions] == list(range(len(TEMPLATES["behaviour"]["questions"])))
    assert questions[1].rater_groups == ["manager", "peer"]
    assert questions[1].content["zh-hans"]["rows"][0] == "此人在日常工作中使用培训中学到的方法和工具。"
    entry = AuditEntry.objects.get(object_uuid=instrument.uuid)
    assert (entry.action, entry.changes) == ("created", {"template": [None, "behaviour"]})
    # The copy is the workspace's own: changing it leaves the template untouched.
    questions[0].content["en"]["prompt"] = "Changed"
    questions[0].save()
    assert TEMPLATES["behaviour"]["questions"][0]["content"]["en"]["prompt"].startswith("Over the last month")
