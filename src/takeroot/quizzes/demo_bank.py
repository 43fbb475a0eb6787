"""The demo's question bank: ten questions of every kind for the customer-conversations
programme, in English, Polish, Swedish and Chinese."""

from .enums import Difficulty, QuestionKind

LANGUAGES = ("en", "pl", "sv", "zh-hans")
TRUE_FALSE = (("True", "False"), ("Prawda", "Fałsz"), ("Sant", "Falskt"), ("对", "错"))


def _text(prompt: tuple, explanation: tuple, options: tuple = TRUE_FALSE) -> dict:
    """One question's content from (en, pl, sv, zh-hans) tuples; options as one tuple per language
    (none for a numeric question)."""
    content = {}
    for index, language in enumerate(LANGUAGES):
        content[language] = {"prompt": prompt[index], "explanation": explanation[index]}
        if options:
            content[language]["options"] = list(options[index])
    return content


# (module index, kind, difficulty, content, right options or (number, tolerance))
BANK = [
    (
        0,
        QuestionKind.SINGLE,
        Difficulty.EASY,
        _text(
            (
                "What belongs in the first sentence of a contact?",
                "Co powinno się znaleźć w pierwszym zdaniu rozmowy?",
                "Vad hör hemma i samtalets första mening?",
                "通话的第一句话应该包含什么？",
            ),
            (
                "A greeting, your name and an open question set a friendly tone and let the customer explain.",
                "Powitanie, imię i pytanie otwarte nadają przyjazny ton i pozwalają klientowi wszystko opowiedzieć.",
                "En hälsning, ditt namn och en öppen fråga ger en vänlig ton och låter kunden berätta med egna ord.",
                "问候、报上姓名并提出开放式问题，能营造友好的氛围，让客户用自己的话说明来意。",
            ),
            (
                (
                    "A greeting, your name and an open question",
                    "The customer's account number",
                    "An apology for the wait",
                ),
                ("Powitanie, imię i pytanie otwarte", "Numer konta klienta", "Przeprosiny za czas oczekiwania"),
                ("En hälsning, ditt namn och en öppen fråga", "Kundens kontonummer", "En ursäkt för väntetiden"),
                ("问候、姓名和一个开放式问题", "客户的账号", "为等待时间道歉"),
            ),
        ),
        [0],
    ),
    (
        0,
        QuestionKind.TRUE_FALSE,
        Difficulty.EASY,
        _text(
            (
                "On a routine contact the opening takes about thirty seconds at most.",
                "W rutynowej rozmowie powitanie trwa najwyżej około trzydziestu sekund.",
                "I ett rutinärende tar inledningen högst cirka trettio sekunder.",
                "在常规来电中，开场白最多约三十秒。",
            ),
            (
                "Thirty seconds is enough to greet, give your name and hear the reason; longer sounds scripted.",
                "Trzydzieści sekund wystarczy, by się przywitać, przedstawić i usłyszeć powód; dłużej brzmi sztucznie.",
                "Trettio sekunder räcker för att hälsa, presentera sig och höra ärendet; längre låter inövat.",
                "三十秒足以问候、自我介绍并听清来意；开场太长会显得照本宣科。",
            ),
        ),
        [0],
    ),
    (
        0,
        QuestionKind.NUMERIC,
        Difficulty.MEDIUM,
        _text(
            (
                "At most how many seconds should the opening of a routine contact take?",
                "Ile sekund najwyżej powinno trwać otwarcie rutynowej rozmowy?",
                "Hur många sekunder får inledningen av ett rutinärende ta som mest?",
                "常规来电的开场白最多应该用多少秒？",
            ),
            (
                "About thirty seconds: greeting, name, and the reason in the customer's words.",
                "Około trzydziestu sekund: powitanie, imię i powód słowami klienta.",
                "Ungefär trettio sekunder: hälsning, namn och ärendet med kundens ord.",
                "大约三十秒：问候、姓名，以及用客户自己的话复述来意。",
            ),
            (),
        ),
        (30, 5),
    ),
    (
        0,
        QuestionKind.SINGLE,
        Difficulty.MEDIUM,
        _text(
            (
                "Why restate the customer's reason in their own words?",
                "Po co powtarzać powód telefonu słowami klienta?",
                "Varför upprepa kundens ärende med kundens egna ord?",
                "为什么要用客户自己的话复述来意？",
            ),
            (
                "It shows you understood before you start solving, and the customer can correct you early.",
                "Pokazuje, że rozumiesz, zanim zaczniesz rozwiązywać problem, a klient może od razu cię poprawić.",
                "Det visar att du har förstått innan du börjar lösa problemet, och kunden kan rätta dig direkt.",
                "这表明你在着手解决前已经理解了问题，客户也能及早纠正你。",
            ),
            (
                (
                    "To show you understood before solving",
                    "To fill the silence while the system loads",
                    "To gain time to think",
                ),
                (
                    "Żeby pokazać, że rozumiesz, zanim zaczniesz działać",
                    "Żeby wypełnić ciszę, gdy ładuje się system",
                    "Żeby zyskać czas do namysłu",
                ),
                (
                    "För att visa att du har förstått innan du löser",
                    "För att fylla tystnaden medan systemet laddar",
                    "För att vinna tid att tänka",
                ),
                ("在解决之前表明你已理解", "在系统加载时填补沉默", "为自己争取思考时间"),
            ),
        ),
        [0],
    ),
    (
        1,
        QuestionKind.MULTIPLE,
        Difficulty.MEDIUM,
        _text(
            (
                "Which of these are clarifying questions?",
                "Które z tych pytań są pytaniami doprecyzowującymi?",
                "Vilka av dessa är förtydligande frågor?",
                "以下哪些是澄清性问题？",
            ),
            (
                "Clarifying questions are open or offer real alternatives; leading questions assume the cause.",
                "Pytania doprecyzowujące są otwarte albo dają prawdziwy wybór; sugerujące z góry zakładają przyczynę.",
                "Förtydligande frågor är öppna eller ger verkliga alternativ; ledande frågor förutsätter orsaken.",
                "澄清性问题是开放的，或提供真实的选项；诱导性问题则预设了原因。",
            ),
            (
                (
                    "What happened when you tried to log in?",
                    "You clicked the wrong button, didn't you?",
                    "Do you mean the March invoice or the April one?",
                    "Have you read our help page?",
                ),
                (
                    "Co się stało, kiedy próbowała pani się zalogować?",
                    "Kliknął pan chyba zły przycisk, prawda?",
                    "Chodzi o fakturę za marzec czy za kwiecień?",
                    "Czy czytał pan naszą stronę pomocy?",
                ),
                (
                    "Vad hände när du försökte logga in?",
                    "Du klickade väl på fel knapp?",
                    "Menar du fakturan för mars eller för april?",
                    "Har du läst vår hjälpsida?",
                ),
                (
                    "您尝试登录时发生了什么？",
                    "您是不是点错按钮了？",
                    "您指的是三月的发票还是四月的？",
                    "您看过我们的帮助页面吗？",
                ),
            ),
        ),
        [0, 2],
    ),
    (
        1,
        QuestionKind.SINGLE,
        Difficulty.MEDIUM,
        _text(
            (
                "A customer says: “This is the third time I'm calling!” What do you do first?",
                "Klient mówi: „Dzwonię już trzeci raz!”. Co robisz najpierw?",
                "En kund säger: ”Det här är tredje gången jag ringer!” Vad gör du först?",
                "客户说：“这已经是我第三次打电话了！”你首先应该做什么？",
            ),
            (
                "Naming the emotion first calms the call; explanations and details land better afterwards.",
                "Nazwanie emocji najpierw uspokaja rozmowę; wyjaśnienia i szczegóły trafiają lepiej potem.",
                "Att först sätta ord på känslan lugnar samtalet; förklaringar och detaljer tas emot bättre efteråt.",
                "先说出对方的情绪能让通话平静下来，之后再解释和核对细节效果更好。",
            ),
            (
                (
                    "Name the frustration: “Three calls — that is really annoying”",
                    "Explain why the earlier calls failed",
                    "Ask for the customer number",
                ),
                (
                    "Nazywasz frustrację: „Trzy telefony — to naprawdę irytujące”",
                    "Wyjaśniasz, czemu wcześniej się nie udało",
                    "Prosisz o numer klienta",
                ),
                (
                    "Sätter ord på frustrationen: ”Tre samtal – det är verkligen irriterande”",
                    "Förklarar varför de tidigare samtalen misslyckades",
                    "Ber om kundnumret",
                ),
                ("说出对方的不满：“打了三次电话，确实很让人恼火”", "解释之前几次为什么没解决", "询问客户编号"),
            ),
        ),
        [0],
    ),
    (
        1,
        QuestionKind.TRUE_FALSE,
        Difficulty.EASY,
        _text(
            (
                "Check your summary of the need with the customer before you solve it.",
                "Podsumowanie potrzeby sprawdzasz z klientem, zanim zaczniesz ją rozwiązywać.",
                "Stäm av din sammanfattning av behovet med kunden innan du löser det.",
                "在着手解决之前，要先和客户确认你对需求的总结。",
            ),
            (
                "A confirmed summary prevents solving the wrong problem.",
                "Potwierdzone podsumowanie chroni przed rozwiązywaniem niewłaściwego problemu.",
                "En bekräftad sammanfattning hindrar att du löser fel problem.",
                "经过确认的总结能避免解决错问题。",
            ),
        ),
        [0],
    ),
    (
        2,
        QuestionKind.MULTIPLE,
        Difficulty.HARD,
        _text(
            (
                "Which of these are LEAP steps?",
                "Które z tych kroków należą do LEAP?",
                "Vilka av dessa är steg i LEAP?",
                "以下哪些属于 LEAP 步骤？",
            ),
            (
                "LEAP: listen, empathise, ask, paraphrase. Arguing back and interrupting escalate the call.",
                "LEAP: słuchaj, okaż empatię, pytaj, parafrazuj. Spieranie się i przerywanie zaostrzają rozmowę.",
                "LEAP: lyssna, visa empati, fråga, parafrasera. Att säga emot och avbryta trappar upp samtalet.",
                "LEAP：倾听、共情、提问、复述。反驳和打断只会让冲突升级。",
            ),
            (
                ("Listen", "Argue back", "Empathise", "Interrupt to save time"),
                ("Słuchaj", "Spieraj się", "Okaż empatię", "Przerywaj, żeby oszczędzić czas"),
                ("Lyssna", "Säg emot", "Visa empati", "Avbryt för att spara tid"),
                ("倾听", "反驳", "共情", "为节省时间而打断"),
            ),
        ),
        [0, 2],
    ),
    (
        2,
        QuestionKind.SINGLE,
        Difficulty.HARD,
        _text(
            (
                "How do you say no to a request you cannot fulfil?",
                "Jak odmówić prośbie, której nie możesz spełnić?",
                "Hur säger du nej till en begäran du inte kan uppfylla?",
                "如何拒绝一个你无法满足的请求？",
            ),
            (
                "Say what you can do instead: the customer leaves with a next step, not a closed door.",
                "Powiedz, co możesz zrobić zamiast tego: klient dostaje kolejny krok, a nie zamknięte drzwi.",
                "Säg vad du kan göra i stället: kunden får ett nästa steg, inte en stängd dörr.",
                "说明你能做些什么来代替：让客户带着下一步离开，而不是吃闭门羹。",
            ),
            (
                ("Say it is company policy", "Say what you can do instead", "Refer them to the website"),
                (
                    "Mówisz, że takie są zasady firmy",
                    "Mówisz, co możesz zrobić zamiast tego",
                    "Odsyłasz na stronę internetową",
                ),
                ("Säger att det är företagets policy", "Säger vad du kan göra i stället", "Hänvisar till webbplatsen"),
                ("说这是公司规定", "说明你能做些什么来代替", "让客户去看官网"),
            ),
        ),
        [1],
    ),
    (
        2,
        QuestionKind.NUMERIC,
        Difficulty.HARD,
        _text(
            (
                "Within how many working days does a written complaint get a first answer?",
                "W ciągu ilu dni roboczych pisemna reklamacja dostaje pierwszą odpowiedź?",
                "Inom hur många arbetsdagar får ett skriftligt klagomål ett första svar?",
                "书面投诉应在多少个工作日内得到首次答复？",
            ),
            (
                "Two working days: a first answer with the next step, even when the case takes longer.",
                "Dwa dni robocze: pierwsza odpowiedź z kolejnym krokiem, nawet jeśli sprawa potrwa dłużej.",
                "Två arbetsdagar: ett första svar med nästa steg, även när ärendet tar längre tid.",
                "两个工作日：即使处理需要更久，也要先答复并说明下一步。",
            ),
            (),
        ),
        (2, 0),
    ),
]
