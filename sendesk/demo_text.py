"""The words the demo school is written in: realistic, and entirely made up."""

from __future__ import annotations

SCHOOLS = (
    "Oakfield Primary School",
    "St Aidan's CE Primary School",
    "Millbrook Community Primary",
    "Harbour View Primary Academy",
)

# Faker locales, weighted roughly as the names a school in England meets.
NAME_LOCALES: tuple[tuple[str, int], ...] = (
    ("en_GB", 58),
    ("pl_PL", 8),
    ("ga_IE", 5),
    ("vi_VN", 4),
    ("tr_TR", 4),
    ("pt_PT", 4),
    ("ro_RO", 4),
    ("fr_FR", 3),
    ("en_IN", 4),  # Indian names as an English MIS records them, in Latin letters
    ("es_ES", 3),
    ("cs_CZ", 3),
)
# Names that every demo shows, so the non-ASCII paths are always exercised.
FIXED_NAMES: tuple[tuple[str, str, str], ...] = (
    ("Zoë", "Brontë", "F"),
    ("Łukasz", "Wójcik", "M"),
    ("Thị Lan", "Nguyễn", "F"),
    ("Siobhán", "Ó Súilleabháin", "F"),
    ("Dáithí", "Mac Giolla", "M"),
    ("Mohammed", "Al-Hassan", "M"),
)

# Census need codes with how often they are the primary need on SEN support.
PRIMARY_NEED_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("SLCN", 24),
    ("SEMH", 20),
    ("SPLD", 14),
    ("MLD", 12),
    ("ASD", 14),
    ("PD", 3),
    ("HI", 2),
    ("VI", 1),
    ("SLD", 2),
    ("DS", 1),
    ("OTH", 3),
    ("NSA", 4),
)

CONCERNS = {
    "CL": (
        "Reading is well below age-related expectations; phonics knowledge is patchy.",
        "Struggles to recall number facts and loses track in multi-step problems.",
        "Written work is short and hard to read; spelling of common words is inconsistent.",
    ),
    "CI": (
        "Finds it hard to follow instructions with more than one step.",
        "Limited vocabulary; speaks in short phrases and is often misunderstood by peers.",
        "Finds changes to routine very difficult and struggles to join group play.",
    ),
    "SEMH": (
        "Frequent outbursts when work feels hard; often leaves the classroom.",
        "Very anxious in the mornings; reluctant to come into class.",
        "Withdrawn at playtimes and reports that nobody plays with them.",
    ),
    "SP": (
        "Fine motor skills make handwriting and cutting slow and tiring.",
        "Needs enlarged print and seating near the board.",
        "Hearing aids not always worn; misses spoken instructions.",
    ),
}

OUTCOMES = {
    "CL": (
        ("will read 40 high-frequency words on sight", "Reads 40/40 words from the list correctly"),
        ("will segment and blend CVC words independently", "Blends 8 of 10 unseen CVC words"),
        ("will recall number bonds to 10", "Answers 10 random bonds correctly within 2 minutes"),
        ("will write three linked sentences with full stops", "Three of five pieces show this"),
    ),
    "CI": (
        ("will follow a two-step instruction in class", "Observed on 4 of 5 occasions"),
        ("will take turns in a small-group game", "Waits for turn in 3 consecutive sessions"),
        ("will use 20 new topic words correctly", "Uses the words in speech and writing"),
        ("will ask an adult for help using a help card", "Uses the card unprompted weekly"),
    ),
    "SEMH": (
        ("will use a calm-down strategy when upset", "Uses the strategy in 4 of 5 incidents"),
        ("will come into class calmly each morning", "Settled within 10 minutes on 9 of 10 days"),
        ("will name three emotions and what triggers them", "Can explain these to an adult"),
        ("will play cooperatively at lunchtime", "Lunchtime log shows no incidents for 3 weeks"),
    ),
    "SP": (
        ("will form all lower-case letters correctly", "Letter formation check fully correct"),
        ("will use a sloping board and pencil grip daily", "Seen in use in every lesson checked"),
        ("will move around school safely at busy times", "No incidents recorded in 4 weeks"),
        ("will wear hearing aids all day", "Worn all day on 9 of 10 days checked"),
    ),
}

PROVISIONS = {
    "CL": (
        "Precision teaching",
        "Toe by Toe reading programme",
        "Numicon small group",
        "Nessy spelling",
        "Daily reading with an adult",
    ),
    "CI": (
        "Speech Link language group",
        "Lego-based therapy",
        "Social stories",
        "Attention Autism group",
        "Word Aware vocabulary group",
    ),
    "SEMH": (
        "ELSA sessions",
        "Zones of Regulation group",
        "Morning check-in",
        "Drawing and Talking",
        "Lunchtime nurture club",
    ),
    "SP": (
        "Fine motor skills group",
        "Write from the Start",
        "Sensory circuit",
        "Touch-typing programme",
        "Radio aid checks",
    ),
}
DELIVERERS = ("Teaching assistant", "Class teacher", "SENCo", "HLTA", "ELSA")

STRATEGIES = (
    "Give instructions one step at a time and check understanding.",
    "Use a visual timetable and warn of changes in advance.",
    "Seat near the front, away from the door and the window.",
    "Pre-teach key vocabulary before each topic.",
    "Offer a movement break every 20 minutes.",
    "Praise effort specifically and privately.",
    "Provide a word mat and number line on the desk.",
    "Allow extra time and a reader for assessments.",
    "Use a calm, quiet voice and give time to respond.",
)

EVIDENCE = (
    ("standardised_test", "Salford reading test", "Reading age 6y2m"),
    ("standardised_test", "Sandwell number test", "Standardised score 78"),
    ("observation", "SENCo classroom observation", None),
    ("work_sample", "Writing books, autumn term", None),
    ("teacher_assessment", "Class teacher assessment", "Working towards"),
    ("outside_report", "Speech and language therapy report", None),
    ("standardised_test", "Boxall profile", "Developmental strand below expected"),
)

NOTES = (
    ("concern", "Mum worried about reading at home; says homework ends in tears."),
    ("observation", "Settled well in the small group; needed prompting to start."),
    ("conversation", "Phone call with dad about the new timetable; he is happy with the plan."),
    ("advice", "EP suggests shorter tasks with clear end points."),
    ("observation", "Played with two friends at lunchtime without adult support."),
    ("concern", "Class teacher reports more incidents since half term."),
)

RELATIONSHIPS = ("Mother", "Father", "Grandmother", "Stepfather", "Foster carer", "Aunt")
PLACES = ("SENCo office", "Classroom", "Meeting room", "Phone call", "Video call")

# Words for a demo file's passphrase: plain, distinct, easy to read aloud.
PASSPHRASE_WORDS = (
    "apple", "river", "candle", "meadow", "tiger", "lantern", "pebble", "orbit", "violin",
    "harbour", "maple", "comet", "puzzle", "walrus", "cobalt", "saddle", "thistle", "glacier",
    "parrot", "biscuit", "falcon", "juniper", "marble", "nectar", "quartz", "rocket", "sparrow",
    "tundra", "velvet", "willow", "zephyr", "acorn",
)  # fmt: skip
