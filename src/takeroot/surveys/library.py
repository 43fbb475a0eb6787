"""The ready questionnaires: reaction (level 1), behaviour follow-up (level 3), 360°, the feedback
session of seed 004 and a mid-training pulse, each written out in English, Polish, Swedish and
Simplified Chinese.

The texts live here rather than in the translation files because they are content, not interface:
a copy made from a template belongs to the workspace, which then edits it in any language.
Wording that differs by who answers ("I …" for oneself, "This person …" for others) is split into
two questions with ``rater_groups``; a respondent sees only the questions for their group.
"""

from django.db import transaction

from takeroot.core.enums import AuditAction
from takeroot.core.models import User, Workspace
from takeroot.core.services import record_audit
from takeroot.programmes.models import Programme

from .enums import Anonymity, InstrumentKind, Measure, RaterGroup
from .enums import SurveyQuestionKind as Kind
from .models import Instrument, SurveyQuestion

SELF = [RaterGroup.SELF.value]
OTHERS_BEHAVIOUR = [RaterGroup.MANAGER.value, RaterGroup.PEER.value]
OTHERS_360 = [RaterGroup.MANAGER.value, RaterGroup.PEER.value, RaterGroup.REPORT.value]

AGREE = {
    "en": {"low": "Strongly disagree", "high": "Strongly agree"},
    "pl": {"low": "Zdecydowanie się nie zgadzam", "high": "Zdecydowanie się zgadzam"},
    "sv": {"low": "Instämmer inte alls", "high": "Instämmer helt"},
    "zh-hans": {"low": "非常不同意", "high": "非常同意"},
}
OFTEN = {
    "en": {"low": "Never", "high": "Always"},
    "pl": {"low": "Nigdy", "high": "Zawsze"},
    "sv": {"low": "Aldrig", "high": "Alltid"},
    "zh-hans": {"low": "从不", "high": "总是"},
}
LIKELY = {
    "en": {"low": "Not at all likely", "high": "Extremely likely"},
    "pl": {"low": "Zupełnie nieprawdopodobne", "high": "Bardzo prawdopodobne"},
    "sv": {"low": "Inte alls troligt", "high": "Mycket troligt"},
    "zh-hans": {"low": "完全不可能", "high": "非常可能"},
}


def _q(kind, content, *, measure=Measure.NONE, required=False, rater_groups=(), ends=None, scale_points=5) -> dict:
    """One question of a template; ``ends`` adds the labels of a scale's ends to every language."""
    if ends:
        content = {code: text | ends[code] for code, text in content.items()}
    return {
        "kind": kind,
        "content": content,
        "measure": measure,
        "required": required,
        "rater_groups": list(rater_groups),
        "scale_points": scale_points,
    }


REACTION = {
    "kind": InstrumentKind.REACTION,
    "anonymity": Anonymity.CONFIDENTIAL,
    "content": {
        "en": {
            "title": "How was the training?",
            "introduction": "Your answers help us improve this training and the follow-up that comes after it. "
            "It takes about three minutes. Results are shown only for groups large enough that no one can be "
            "recognised.",
        },
        "pl": {
            "title": "Jak oceniasz szkolenie?",
            "introduction": "Twoje odpowiedzi pomogą nam ulepszyć to szkolenie i działania, które po nim "
            "następują. Wypełnienie ankiety zajmie około trzech minut. Wyniki pokazujemy tylko dla grup na tyle "
            "dużych, że nie da się rozpoznać, kto jak odpowiedział.",
        },
        "sv": {
            "title": "Vad tyckte du om utbildningen?",
            "introduction": "Dina svar hjälper oss att förbättra utbildningen och uppföljningen efteråt. Det tar "
            "ungefär tre minuter. Resultaten visas bara för grupper som är så stora att ingen enskild person "
            "kan kännas igen.",
        },
        "zh-hans": {
            "title": "您对本次培训的评价",
            "introduction": "您的回答将帮助我们改进本次培训及其后续跟进。填写大约需要三分钟。"
            "结果只按人数足够多的群体汇总展示，任何人的回答都不会被单独识别。",
        },
    },
    "questions": [
        _q(
            Kind.LIKERT_5,
            {
                "en": {"prompt": "What I learned in this training is useful for my work."},
                "pl": {"prompt": "Wiedza i umiejętności zdobyte na szkoleniu przydadzą mi się w pracy."},
                "sv": {"prompt": "Det jag lärde mig på utbildningen är användbart i mitt arbete."},
                "zh-hans": {"prompt": "本次培训所学的内容对我的工作有用。"},
            },
            measure=Measure.USEFULNESS,
            required=True,
        ),
        _q(
            Kind.LIKERT_5,
            {
                "en": {"prompt": "The content matched the challenges I face in my job."},
                "pl": {"prompt": "Treści szkolenia odpowiadały wyzwaniom, z którymi mierzę się w pracy."},
                "sv": {"prompt": "Innehållet motsvarade de utmaningar jag möter i mitt arbete."},
                "zh-hans": {"prompt": "培训内容与我在工作中面临的挑战相符。"},
            },
            measure=Measure.RELEVANCE,
            required=True,
        ),
        _q(
            Kind.MATRIX,
            {
                "en": {
                    "prompt": "How much do you agree with these statements about the trainer?",
                    "rows": [
                        "The trainer explained things clearly.",
                        "The trainer used practical examples from real work.",
                        "The trainer answered questions well.",
                        "The trainer kept the whole group involved.",
                    ],
                },
                "pl": {
                    "prompt": "W jakim stopniu zgadzasz się z poniższymi stwierdzeniami o trenerze?",
                    "rows": [
                        "Trener jasno tłumaczył omawiane zagadnienia.",
                        "Trener posługiwał się praktycznymi przykładami z codziennej pracy.",
                        "Trener rzeczowo odpowiadał na pytania.",
                        "Trener angażował całą grupę.",
                    ],
                },
                "sv": {
                    "prompt": "Hur väl stämmer de här påståendena om utbildaren?",
                    "rows": [
                        "Utbildaren förklarade saker tydligt.",
                        "Utbildaren använde praktiska exempel från verkligt arbete.",
                        "Utbildaren svarade bra på frågor.",
                        "Utbildaren fick med sig hela gruppen.",
                    ],
                },
                "zh-hans": {
                    "prompt": "您在多大程度上同意以下关于培训师的说法？",
                    "rows": [
                        "培训师讲解清晰易懂。",
                        "培训师结合实际工作举了实用的例子。",
                        "培训师很好地解答了问题。",
                        "培训师让整个小组都参与其中。",
                    ],
                },
            },
            measure=Measure.TRAINER_EFFECTIVENESS,
            required=True,
            ends=AGREE,
        ),
        _q(
            Kind.LIKERT_5,
            {
                "en": {"prompt": "I feel confident that I can apply what I learned at work."},
                "pl": {"prompt": "Mam poczucie, że potrafię zastosować zdobytą wiedzę w pracy."},
                "sv": {"prompt": "Jag känner mig säker på att jag kan använda det jag lärt mig i arbetet."},
                "zh-hans": {"prompt": "我有信心在工作中运用所学内容。"},
            },
            measure=Measure.CONFIDENCE,
            required=True,
        ),
        _q(
            Kind.LIKERT_5,
            {
                "en": {"prompt": "I intend to use what I learned in my work within the next month."},
                "pl": {"prompt": "Zamierzam wykorzystać zdobytą wiedzę w pracy w ciągu najbliższego miesiąca."},
                "sv": {"prompt": "Jag tänker använda det jag lärt mig i mitt arbete inom den närmaste månaden."},
                "zh-hans": {"prompt": "我打算在接下来的一个月内把所学内容用到工作中。"},
            },
            measure=Measure.COMMITMENT,
            required=True,
        ),
        _q(
            Kind.SCALE_10,
            {
                "en": {"prompt": "How likely are you to recommend this training to a colleague?"},
                "pl": {"prompt": "Jak bardzo prawdopodobne jest, że polecisz to szkolenie komuś z zespołu?"},
                "sv": {"prompt": "Hur troligt är det att du skulle rekommendera utbildningen till en kollega?"},
                "zh-hans": {"prompt": "您向同事推荐本次培训的可能性有多大？"},
            },
            measure=Measure.RECOMMENDATION,
            required=True,
            ends=LIKELY,
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "What would make this training more useful? Anything else you would like to tell us?"},
                "pl": {
                    "prompt": "Co sprawiłoby, że szkolenie byłoby bardziej przydatne? Czy chcesz nam jeszcze coś "
                    "przekazać?"
                },
                "sv": {
                    "prompt": "Vad skulle göra utbildningen mer användbar? Är det något mer du vill berätta för oss?"
                },
                "zh-hans": {"prompt": "怎样能让本次培训更有用？您还有其他想告诉我们的吗？"},
            },
        ),
    ],
}

BEHAVIOUR = {
    "kind": InstrumentKind.BEHAVIOUR,
    "anonymity": Anonymity.CONFIDENTIAL,
    "content": {
        "en": {
            "title": "Putting the training into practice",
            "introduction": "A few months have passed since the training. Tell us how often the new ways of "
            "working are used now: the person themselves, their manager and colleagues answer the same questions. "
            "There are no right or wrong answers; honest ones show where more support is needed.",
        },
        "pl": {
            "title": "Szkolenie w praktyce",
            "introduction": "Od szkolenia minęło kilka miesięcy. Powiedz nam, jak często nowe sposoby pracy są "
            "dziś stosowane: na te same pytania odpowiadają uczestnik szkolenia, jego przełożony i współpracownicy. "
            "Nie ma dobrych ani złych odpowiedzi; szczere pokażą, gdzie potrzebne jest dodatkowe wsparcie.",
        },
        "sv": {
            "title": "Utbildningen i praktiken",
            "introduction": "Det har gått några månader sedan utbildningen. Berätta hur ofta de nya arbetssätten "
            "används i dag: deltagaren själv, chefen och kollegorna svarar på samma frågor. Det finns inga rätt "
            "eller fel svar; ärliga svar visar var det behövs mer stöd.",
        },
        "zh-hans": {
            "title": "培训成果的实际应用",
            "introduction": "培训已经过去几个月了。请告诉我们新的工作方法现在的使用频率："
            "学员本人、其直属经理和同事回答相同的问题。答案没有对错之分，坦诚的回答能帮助我们发现哪里还需要更多支持。",
        },
    },
    "questions": [
        _q(
            Kind.MATRIX,
            {
                "en": {
                    "prompt": "Over the last month, how often has each of these been true for you?",
                    "rows": [
                        "I use the methods and tools from the training in my daily work.",
                        "I plan ahead where I will apply what I learned.",
                        "I share what I learned with colleagues.",
                        "I ask for feedback on how I apply the new skills.",
                        "I stick to the new approach even when time is short.",
                    ],
                },
                "pl": {
                    "prompt": "Jak często w ostatnim miesiącu poniższe stwierdzenia były prawdziwe w Twoim przypadku?",
                    "rows": [
                        "Stosuję metody i narzędzia ze szkolenia w codziennej pracy.",
                        "Z wyprzedzeniem planuję, gdzie wykorzystam zdobytą wiedzę.",
                        "Dzielę się zdobytą wiedzą ze współpracownikami.",
                        "Proszę o informację zwrotną na temat tego, jak stosuję nowe umiejętności.",
                        "Trzymam się nowego podejścia nawet wtedy, gdy brakuje czasu.",
                    ],
                },
                "sv": {
                    "prompt": "Hur ofta har följande stämt för dig under den senaste månaden?",
                    "rows": [
                        "Jag använder metoderna och verktygen från utbildningen i mitt dagliga arbete.",
                        "Jag planerar i förväg var jag ska använda det jag lärt mig.",
                        "Jag delar med mig av det jag lärt mig till kollegor.",
                        "Jag ber om återkoppling på hur jag använder de nya färdigheterna.",
                        "Jag håller fast vid det nya arbetssättet även när tiden är knapp.",
                    ],
                },
                "zh-hans": {
                    "prompt": "在过去一个月里，以下情况在您身上出现的频率如何？",
                    "rows": [
                        "我在日常工作中使用培训中学到的方法和工具。",
                        "我会提前计划在哪些地方运用所学内容。",
                        "我与同事分享所学内容。",
                        "我会就自己如何运用新技能征求反馈。",
                        "即使时间紧张，我也坚持使用新的方法。",
                    ],
                },
            },
            measure=Measure.BEHAVIOUR_FREQUENCY,
            required=True,
            rater_groups=SELF,
            ends=OFTEN,
        ),
        _q(
            Kind.MATRIX,
            {
                "en": {
                    "prompt": "Over the last month, how often have you seen this person do the following?",
                    "rows": [
                        "This person uses the methods and tools from the training in their daily work.",
                        "This person plans ahead where they will apply what they learned.",
                        "This person shares what they learned with colleagues.",
                        "This person asks for feedback on how they apply the new skills.",
                        "This person sticks to the new approach even when time is short.",
                    ],
                },
                "pl": {
                    "prompt": "Jak często w ostatnim miesiącu można było zaobserwować u tej osoby poniższe zachowania?",
                    "rows": [
                        "Ta osoba stosuje metody i narzędzia ze szkolenia w codziennej pracy.",
                        "Ta osoba z wyprzedzeniem planuje, gdzie wykorzysta zdobytą wiedzę.",
                        "Ta osoba dzieli się zdobytą wiedzą ze współpracownikami.",
                        "Ta osoba prosi o informację zwrotną na temat tego, jak stosuje nowe umiejętności.",
                        "Ta osoba trzyma się nowego podejścia nawet wtedy, gdy brakuje czasu.",
                    ],
                },
                "sv": {
                    "prompt": "Hur ofta har du under den senaste månaden sett personen göra följande?",
                    "rows": [
                        "Personen använder metoderna och verktygen från utbildningen i sitt dagliga arbete.",
                        "Personen planerar i förväg var hen ska använda det hen lärt sig.",
                        "Personen delar med sig av det hen lärt sig till kollegor.",
                        "Personen ber om återkoppling på hur hen använder de nya färdigheterna.",
                        "Personen håller fast vid det nya arbetssättet även när tiden är knapp.",
                    ],
                },
                "zh-hans": {
                    "prompt": "在过去一个月里，您看到此人做到以下各项的频率如何？",
                    "rows": [
                        "此人在日常工作中使用培训中学到的方法和工具。",
                        "此人会提前计划在哪些地方运用所学内容。",
                        "此人与同事分享所学内容。",
                        "此人会就自己如何运用新技能征求反馈。",
                        "即使时间紧张，此人也坚持使用新的方法。",
                    ],
                },
            },
            measure=Measure.BEHAVIOUR_FREQUENCY,
            required=True,
            rater_groups=OTHERS_BEHAVIOUR,
            ends=OFTEN,
        ),
        _q(
            Kind.LIKERT_5,
            {
                "en": {"prompt": "My manager supports me in applying what I learned."},
                "pl": {"prompt": "Mój przełożony wspiera mnie w stosowaniu wiedzy zdobytej na szkoleniu."},
                "sv": {"prompt": "Min chef stöttar mig i att använda det jag lärt mig."},
                "zh-hans": {"prompt": "我的直属经理支持我运用所学内容。"},
            },
            rater_groups=SELF,
        ),
        _q(
            Kind.SINGLE,
            {
                "en": {
                    "prompt": "What gets most in the way of using the new ways of working?",
                    "options": [
                        "Lack of time",
                        "Few chances to use them in current tasks",
                        "Little support from the manager or the team",
                        "Tools or processes that do not fit",
                        "Nothing gets in the way",
                    ],
                },
                "pl": {
                    "prompt": "Co najbardziej utrudnia stosowanie nowych sposobów pracy?",
                    "options": [
                        "Brak czasu",
                        "Niewiele okazji, by je wykorzystać w bieżących zadaniach",
                        "Słabe wsparcie ze strony przełożonego lub zespołu",
                        "Narzędzia lub procesy, które do nich nie pasują",
                        "Nic nie przeszkadza",
                    ],
                },
                "sv": {
                    "prompt": "Vad är det största hindret för att använda de nya arbetssätten?",
                    "options": [
                        "Tidsbrist",
                        "Få tillfällen att använda dem i nuvarande uppgifter",
                        "Lite stöd från chefen eller teamet",
                        "Verktyg eller processer som inte passar",
                        "Inget hindrar",
                    ],
                },
                "zh-hans": {
                    "prompt": "运用新工作方法的最大障碍是什么？",
                    "options": [
                        "时间不够",
                        "当前工作中很少有机会使用",
                        "直属经理或团队支持不足",
                        "工具或流程不匹配",
                        "没有任何障碍",
                    ],
                },
            },
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "Describe a recent situation in which the new approach was used. What came of it?"},
                "pl": {"prompt": "Opisz niedawną sytuację, w której zastosowano nowe podejście. Co z tego wynikło?"},
                "sv": {"prompt": "Beskriv en situation nyligen där det nya arbetssättet användes. Vad ledde det till?"},
                "zh-hans": {"prompt": "请描述最近一次使用新方法的情况。结果如何？"},
            },
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "What support would help the new ways of working stick?"},
                "pl": {"prompt": "Jakie wsparcie pomogłoby utrwalić nowe sposoby pracy?"},
                "sv": {"prompt": "Vilket stöd skulle hjälpa de nya arbetssätten att bli bestående?"},
                "zh-hans": {"prompt": "什么样的支持能帮助新的工作方法真正落地并坚持下去？"},
            },
        ),
    ],
}

FEEDBACK_360 = {
    "kind": InstrumentKind.FEEDBACK_360,
    "anonymity": Anonymity.CONFIDENTIAL,
    "content": {
        "en": {
            "title": "360° feedback",
            "introduction": "This feedback is about one person and comes from themselves, their manager, peers and "
            "direct reports. Answers from peers and direct reports are shown only as a group, never one by one. "
            "Please be specific and fair: the aim is to help the person grow.",
        },
        "pl": {
            "title": "Informacja zwrotna 360°",
            "introduction": "Ta informacja zwrotna dotyczy jednej osoby. Udzielają jej: ona sama, jej przełożony, "
            "współpracownicy i podwładni. Odpowiedzi współpracowników i podwładnych pokazujemy wyłącznie zbiorczo, "
            "nigdy pojedynczo. Pisz konkretnie i uczciwie: chodzi o to, by pomóc tej osobie się rozwijać.",
        },
        "sv": {
            "title": "360°-återkoppling",
            "introduction": "Återkopplingen gäller en person och kommer från personen själv, hens chef, kollegor och "
            "medarbetare. Svar från kollegor och medarbetare visas bara samlat för gruppen, aldrig ett och ett. "
            "Var konkret och rättvis: syftet är att hjälpa personen att utvecklas.",
        },
        "zh-hans": {
            "title": "360度反馈",
            "introduction": "本反馈针对一个人，由其本人、直属经理、同事和直接下属共同提供。"
            "同事和直接下属的回答只以群体汇总的形式展示，绝不单独显示。请具体、公正地作答：目的是帮助对方成长。",
        },
    },
    "questions": [
        _q(
            Kind.MATRIX,
            {
                "en": {
                    "prompt": "How much do you agree with each statement about yourself?",
                    "rows": [
                        "I communicate clearly and listen actively.",
                        "I give useful feedback and recognise good work.",
                        "I plan work and set clear priorities.",
                        "I handle disagreement constructively.",
                        "I help others develop their skills.",
                        "I deliver on my commitments.",
                    ],
                },
                "pl": {
                    "prompt": "W jakim stopniu zgadzasz się z poniższymi stwierdzeniami na swój temat?",
                    "rows": [
                        "Komunikuję się jasno i aktywnie słucham.",
                        "Udzielam przydatnej informacji zwrotnej i doceniam dobrą pracę.",
                        "Planuję pracę i wyznaczam jasne priorytety.",
                        "Konstruktywnie rozwiązuję różnice zdań.",
                        "Pomagam innym rozwijać umiejętności.",
                        "Dotrzymuję zobowiązań.",
                    ],
                },
                "sv": {
                    "prompt": "Hur väl stämmer påståendena in på dig själv?",
                    "rows": [
                        "Jag kommunicerar tydligt och lyssnar aktivt.",
                        "Jag ger användbar återkoppling och uppmärksammar bra arbete.",
                        "Jag planerar arbetet och sätter tydliga prioriteringar.",
                        "Jag hanterar meningsskiljaktigheter på ett konstruktivt sätt.",
                        "Jag hjälper andra att utveckla sina färdigheter.",
                        "Jag håller det jag lovar.",
                    ],
                },
                "zh-hans": {
                    "prompt": "您在多大程度上同意以下关于您自己的说法？",
                    "rows": [
                        "我沟通清晰，并积极倾听。",
                        "我给出有用的反馈，并认可出色的工作。",
                        "我合理规划工作，并设定明确的优先事项。",
                        "我能建设性地处理分歧。",
                        "我帮助他人提升技能。",
                        "我兑现自己的承诺。",
                    ],
                },
            },
            required=True,
            rater_groups=SELF,
            ends=AGREE,
        ),
        _q(
            Kind.MATRIX,
            {
                "en": {
                    "prompt": "How much do you agree with each statement about this person?",
                    "rows": [
                        "This person communicates clearly and listens actively.",
                        "This person gives useful feedback and recognises good work.",
                        "This person plans work and sets clear priorities.",
                        "This person handles disagreement constructively.",
                        "This person helps others develop their skills.",
                        "This person delivers on their commitments.",
                    ],
                },
                "pl": {
                    "prompt": "W jakim stopniu zgadzasz się z poniższymi stwierdzeniami o tej osobie?",
                    "rows": [
                        "Ta osoba komunikuje się jasno i aktywnie słucha.",
                        "Ta osoba udziela przydatnej informacji zwrotnej i docenia dobrą pracę.",
                        "Ta osoba planuje pracę i wyznacza jasne priorytety.",
                        "Ta osoba konstruktywnie rozwiązuje różnice zdań.",
                        "Ta osoba pomaga innym rozwijać umiejętności.",
                        "Ta osoba dotrzymuje zobowiązań.",
                    ],
                },
                "sv": {
                    "prompt": "Hur väl stämmer påståendena in på personen?",
                    "rows": [
                        "Personen kommunicerar tydligt och lyssnar aktivt.",
                        "Personen ger användbar återkoppling och uppmärksammar bra arbete.",
                        "Personen planerar arbetet och sätter tydliga prioriteringar.",
                        "Personen hanterar meningsskiljaktigheter på ett konstruktivt sätt.",
                        "Personen hjälper andra att utveckla sina färdigheter.",
                        "Personen håller det hen lovar.",
                    ],
                },
                "zh-hans": {
                    "prompt": "您在多大程度上同意以下关于此人的说法？",
                    "rows": [
                        "此人沟通清晰，并积极倾听。",
                        "此人给出有用的反馈，并认可出色的工作。",
                        "此人合理规划工作，并设定明确的优先事项。",
                        "此人能建设性地处理分歧。",
                        "此人帮助他人提升技能。",
                        "此人兑现自己的承诺。",
                    ],
                },
            },
            required=True,
            rater_groups=OTHERS_360,
            ends=AGREE,
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "What are your greatest strengths at work?"},
                "pl": {"prompt": "Jakie są Twoje największe mocne strony w pracy?"},
                "sv": {"prompt": "Vilka är dina största styrkor i arbetet?"},
                "zh-hans": {"prompt": "您在工作中最大的优势是什么？"},
            },
            rater_groups=SELF,
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "What are this person's greatest strengths at work?"},
                "pl": {"prompt": "Jakie są największe mocne strony tej osoby w pracy?"},
                "sv": {"prompt": "Vilka är personens största styrkor i arbetet?"},
                "zh-hans": {"prompt": "此人在工作中最大的优势是什么？"},
            },
            rater_groups=OTHERS_360,
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "What would you most like to do better or differently?"},
                "pl": {"prompt": "Co najbardziej chcesz robić lepiej lub inaczej?"},
                "sv": {"prompt": "Vad vill du helst göra bättre eller annorlunda?"},
                "zh-hans": {"prompt": "您最希望在哪些方面做得更好或有所改变？"},
            },
            rater_groups=SELF,
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "What could this person do better or differently?"},
                "pl": {"prompt": "Co ta osoba mogłaby robić lepiej lub inaczej?"},
                "sv": {"prompt": "Vad skulle personen kunna göra bättre eller annorlunda?"},
                "zh-hans": {"prompt": "此人可以在哪些方面做得更好或有所改变？"},
            },
            rater_groups=OTHERS_360,
        ),
    ],
}

# Seed 004's set questions for regular feedback sessions. Named: the answers are the starting point
# of a conversation, and the support someone asks for has to reach them.
FEEDBACK_SESSION = {
    "kind": InstrumentKind.FEEDBACK_SESSION,
    "anonymity": Anonymity.NAMED,
    "content": {
        "en": {
            "title": "Feedback session: how is it going?",
            "introduction": "Answer these questions before our feedback session; we will talk them through "
            "together. Your name is shown with your answers so that we can follow up on the support you ask for.",
        },
        "pl": {
            "title": "Sesja informacji zwrotnej: jak Ci idzie?",
            "introduction": "Odpowiedz na te pytania przed sesją informacji zwrotnej; omówimy je wspólnie. "
            "Twoje imię i nazwisko będzie widoczne przy odpowiedziach, abyśmy mogli zapewnić wsparcie, "
            "o które prosisz.",
        },
        "sv": {
            "title": "Feedbacksession: hur går det?",
            "introduction": "Svara på frågorna före feedbacksessionen; vi går igenom dem tillsammans. Ditt namn "
            "visas med dina svar så att vi kan följa upp det stöd du ber om.",
        },
        "zh-hans": {
            "title": "反馈会：进展如何？",
            "introduction": "请在反馈会之前回答这些问题，我们会在会上一起讨论。"
            "您的回答会显示您的姓名，以便我们跟进您所需要的支持。",
        },
    },
    "questions": [
        _q(
            Kind.SINGLE,
            {
                "en": {
                    "prompt": "How often do you use what you learned?",
                    "options": ["Every day", "Every week", "Now and then", "Not yet"],
                },
                "pl": {
                    "prompt": "Jak często korzystasz z wiedzy zdobytej na szkoleniu?",
                    "options": ["Codziennie", "Co tydzień", "Od czasu do czasu", "Jeszcze nie"],
                },
                "sv": {
                    "prompt": "Hur ofta använder du det du har lärt dig?",
                    "options": ["Varje dag", "Varje vecka", "Då och då", "Inte ännu"],
                },
                "zh-hans": {
                    "prompt": "您多久使用一次所学的内容？",
                    "options": ["每天", "每周", "偶尔", "还没有"],
                },
            },
            measure=Measure.BEHAVIOUR_FREQUENCY,
            required=True,
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "How has the new knowledge changed your daily work?"},
                "pl": {"prompt": "Jak nowa wiedza wpłynęła na Twoją codzienną pracę?"},
                "sv": {"prompt": "Hur har den nya kunskapen påverkat ditt dagliga arbete?"},
                "zh-hans": {"prompt": "新知识给您的日常工作带来了哪些变化？"},
            },
            required=True,
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "What challenges have you met when putting it into practice?"},
                "pl": {"prompt": "Na jakie trudności trafiasz, próbując wprowadzić ją w życie?"},
                "sv": {"prompt": "Vilka utmaningar har du stött på när du försökt omsätta den i praktiken?"},
                "zh-hans": {"prompt": "在将其付诸实践的过程中，您遇到了哪些困难？"},
            },
            required=True,
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "Is there further support or are there resources you need?"},
                "pl": {"prompt": "Czy potrzebujesz dodatkowego wsparcia lub materiałów?"},
                "sv": {"prompt": "Finns det ytterligare stöd eller resurser som du behöver?"},
                "zh-hans": {"prompt": "您是否还需要更多的支持或资源？"},
            },
            required=True,
        ),
        _q(
            Kind.MULTIPLE,
            {
                "en": {
                    "prompt": "Which of these would help you most?",
                    "options": [
                        "Time set aside in the calendar for practice",
                        "A mentor or training ambassador",
                        "Practising with colleagues in pairs or small groups",
                        "More material or resources",
                        "Support from my manager",
                    ],
                },
                "pl": {
                    "prompt": "Co najbardziej by Ci pomogło?",
                    "options": [
                        "Czas zarezerwowany w kalendarzu na ćwiczenie",
                        "Mentor lub ambasador szkolenia",
                        "Ćwiczenie ze współpracownikami w parach lub małych grupach",
                        "Więcej materiałów lub zasobów",
                        "Wsparcie przełożonego",
                    ],
                },
                "sv": {
                    "prompt": "Vad av detta skulle hjälpa dig mest?",
                    "options": [
                        "Avsatt tid i kalendern för att öva",
                        "En mentor eller utbildningsambassadör",
                        "Att öva med kollegor i par eller små grupper",
                        "Mer material eller resurser",
                        "Stöd från min chef",
                    ],
                },
                "zh-hans": {
                    "prompt": "以下哪些对您帮助最大？",
                    "options": [
                        "在日程中预留练习时间",
                        "一位导师或培训大使",
                        "与同事结对或以小组形式练习",
                        "更多资料或资源",
                        "直属经理的支持",
                    ],
                },
            },
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "What success, big or small, could we celebrate together?"},
                "pl": {"prompt": "Jaki sukces, duży czy mały, moglibyśmy wspólnie świętować?"},
                "sv": {"prompt": "Vilken framgång, stor eller liten, kan vi fira tillsammans?"},
                "zh-hans": {"prompt": "有哪些大大小小的成功值得我们一起庆祝？"},
            },
        ),
    ],
}

PULSE = {
    "kind": InstrumentKind.PULSE,
    "anonymity": Anonymity.CONFIDENTIAL,
    "content": {
        "en": {
            "title": "Quick check: how is the training going?",
            "introduction": "Four short questions, under a minute. Your answers help the trainer adjust the rest "
            "of the training while there is still time.",
        },
        "pl": {
            "title": "Szybkie pytanie: jak idzie szkolenie?",
            "introduction": "Cztery krótkie pytania, mniej niż minuta. Twoje odpowiedzi pomogą trenerowi "
            "dopasować dalszą część szkolenia, póki jest na to czas.",
        },
        "sv": {
            "title": "Snabbkoll: hur går utbildningen?",
            "introduction": "Fyra korta frågor, mindre än en minut. Dina svar hjälper utbildaren att anpassa "
            "resten av utbildningen medan det fortfarande finns tid.",
        },
        "zh-hans": {
            "title": "快速调查：培训进展如何？",
            "introduction": "四个简短的问题，不到一分钟。您的回答能帮助培训师及时调整接下来的培训内容。",
        },
    },
    "questions": [
        _q(
            Kind.LIKERT_5,
            {
                "en": {"prompt": "So far, the training is useful for my work."},
                "pl": {"prompt": "Jak dotąd szkolenie jest przydatne w mojej pracy."},
                "sv": {"prompt": "Hittills är utbildningen användbar för mitt arbete."},
                "zh-hans": {"prompt": "到目前为止，培训内容对我的工作有用。"},
            },
            measure=Measure.USEFULNESS,
            required=True,
        ),
        _q(
            Kind.SINGLE,
            {
                "en": {"prompt": "The pace of the training is", "options": ["Too slow", "About right", "Too fast"]},
                "pl": {"prompt": "Tempo szkolenia jest", "options": ["Za wolne", "W sam raz", "Za szybkie"]},
                "sv": {"prompt": "Utbildningens tempo är", "options": ["För långsamt", "Lagom", "För snabbt"]},
                "zh-hans": {"prompt": "培训的节奏", "options": ["太慢", "刚好", "太快"]},
            },
            measure=Measure.PACE,
            required=True,
        ),
        _q(
            Kind.LIKERT_5,
            {
                "en": {"prompt": "I know how I will use what we have covered so far."},
                "pl": {"prompt": "Wiem, jak wykorzystam to, co do tej pory omówiliśmy."},
                "sv": {"prompt": "Jag vet hur jag ska använda det vi har gått igenom hittills."},
                "zh-hans": {"prompt": "我清楚自己将如何运用到目前为止学到的内容。"},
            },
            measure=Measure.CONFIDENCE,
            required=True,
        ),
        _q(
            Kind.TEXT,
            {
                "en": {"prompt": "What one thing would help you most in the next part of the training?"},
                "pl": {"prompt": "Jedna rzecz, która najbardziej pomogłaby Ci w dalszej części szkolenia?"},
                "sv": {"prompt": "Vilken enda sak skulle hjälpa dig mest i nästa del av utbildningen?"},
                "zh-hans": {"prompt": "在接下来的培训中，哪一件事对您帮助最大？"},
            },
        ),
    ],
}

TEMPLATES: dict[str, dict] = {
    "reaction": REACTION,
    "behaviour": BEHAVIOUR,
    "360": FEEDBACK_360,
    "feedback_session": FEEDBACK_SESSION,
    "pulse": PULSE,
}


@transaction.atomic
def create_from_template(
    *, workspace: Workspace, key: str, actor: User | None, programme: Programme | None = None, now=None
) -> Instrument:
    """A new questionnaire of the workspace (or of ``programme``, which must be the workspace's),
    with a copy of the template's title, introduction and questions in every language.

    Raises ``KeyError`` for an unknown template. Side effects: the instrument and its question
    rows, one audit entry. Called by authors (``surveys.manage_instruments``), from pages and the API."""
    template = TEMPLATES[key]
    if programme is not None and programme.workspace_id != workspace.pk:
        raise ValueError("The programme belongs to another workspace.")
    instrument = Instrument.objects.create(
        workspace=workspace,
        programme=programme,
        kind=template["kind"],
        template=key,
        content={code: dict(text) for code, text in template["content"].items()},
        anonymity=template["anonymity"],
        created_by=actor,
    )
    # created_at is auto_now_add; a fixed clock in tests sets it afterwards.
    if now is not None:
        Instrument.objects.filter(pk=instrument.pk).update(created_at=now)
        instrument.created_at = now
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            workspace=workspace,
            instrument=instrument,
            position=position,
            kind=question["kind"],
            content={code: _copy(text) for code, text in question["content"].items()},
            scale_points=question["scale_points"],
            required=question["required"],
            measure=question["measure"],
            rater_groups=list(question["rater_groups"]),
        )
        for position, question in enumerate(template["questions"])
    )
    record_audit(
        workspace=workspace,
        actor=actor,
        action=AuditAction.CREATED,
        obj=instrument,
        changes={"template": (None, key)},
    )
    return instrument


def _copy(text: dict) -> dict:
    return {key: list(value) if isinstance(value, list) else value for key, value in text.items()}
