"""The words of the demo community that `confab demo` builds: names, places, roles, posts.

Everything here is hand-written and plain data; `confab.core.management.commands.demo`
draws from it with a seeded random generator. City labels are gazetteer labels, each
resolving to exactly one city (tests/core/test_demo.py checks them all). Links point to
example.org, example.net and example.com only (reserved names; nothing real, no trackers).

Post templates are `str.format` strings. The slots a template may use:

    {tag} {tag2}  two of the author's interests, as hashtags
    {link}        an https://example.org/… address that fits the author's role
    {friend}      an @mention of someone the author follows
    {city}        the author's city
    {grade}       a class the author teaches ("8th grade" or "Year 9", by country)
    {maths}       "math" or "maths", by country
    {subject}     the language a languages teacher teaches
    {n}           a small number
    {book}        a (made-up) book title
    {tool}        a classroom or workplace tool
    {topic}       a topic people talk about in education and training
"""

from dataclasses import dataclass

# Printed for everyone to use, and passes Django's four validators (the tests check).
DEMO_PASSWORD = "confab-demo"  # noqa: S105
DEMO_EMAIL_DOMAIN = "example.org"


@dataclass(frozen=True)
class NamePool:
    """First and family names that go together. A name is "Latin" or ("Latin", "native")."""

    first: tuple[str | tuple[str, str], ...]
    last: tuple[str | tuple[str, str], ...]


@dataclass(frozen=True)
class Country:
    weight: int
    cities: tuple[str, ...]
    pools: tuple[tuple[str, int], ...]  # (name pool, weight)
    grades: str = "grade"  # "grade" (8th grade) or "year" (Year 9)
    maths: str = "maths"
    languages: tuple[str, ...] = ("English", "French", "Spanish")  # what language teachers teach
    language: str = "en"  # some posts are in this language
    tags: tuple[str, ...] = ()  # the country's own education hashtags


@dataclass(frozen=True)
class Role:
    title: str
    group: str  # people follow more within their group
    weight: int
    emoji: tuple[str, ...]
    username_suffixes: tuple[str, ...]
    interests: tuple[str, ...]
    bios: tuple[str, ...]
    posts: tuple[str, ...]
    links: tuple[str, ...]  # paths under https://example.org/, for {link}


@dataclass(frozen=True)
class Anchor:
    """A person who is in every demo community, whatever the seed and size."""

    username: str
    display_name: str
    role: str
    country: str
    city: str
    interests: tuple[str, ...]
    note: str
    links: tuple[tuple[str, str], ...] = ()
    locked: bool = False
    hub: bool = False  # followed by most people
    local_share: float = 0.3  # how many of their posts are in their country's language


# --- Names -----------------------------------------------------------------------------

# fmt: off
NAME_POOLS: dict[str, NamePool] = {
    "anglo": NamePool(
        first=("Emily", "Hannah", "Sarah", "Megan", "Rachel", "Laura", "Katie", "Jessica",
               "Amy", "Claire", "Ryan", "Tyler", "Matt", "Brian", "Kevin", "Chris", "Dan",
               "Josh", "Andrew", "Tom", "Beth", "Erin", "Molly", "Greg", "Heather", "Caleb"),
        last=("Thompson", "Sullivan", "Bennett", "Hughes", "Parker", "Walsh", "Foster", "Reed",
              "Carter", "Mitchell", "Howard", "Fletcher", "Morgan", "Ellis", "Grant", "Lawson",
              "Price", "Hayes", "Porter", "Whitaker"),
    ),
    "latino": NamePool(
        first=("María", "Sofía", "Lucía", "Gabriela", "Valeria", "Carlos", "Luis", "Miguel",
               "Diego", "Javier", "Alejandro", "Camila", "Rosa", "Adriana", "Mateo", "Elena"),
        last=("Rodríguez", "García", "Martínez", "Hernández", "López", "Álvarez", "Reyes",
              "Torres", "Ramírez", "Flores", "Morales", "Castillo", "Vargas", "Mendoza"),
    ),
    "black_us": NamePool(
        first=("Jamal", "DeShawn", "Marcus", "Andre", "Darnell", "Terrence", "Keisha", "Latoya",
               "Imani", "Aaliyah", "Tasha", "Jasmine", "Monique", "Malik"),
        last=("Washington", "Jackson", "Coleman", "Brooks", "Jefferson", "Robinson", "Harris",
              "Banks", "Freeman", "Gaines", "Simmons", "Dawson"),
    ),
    "east_asian": NamePool(
        first=("Mei", "Grace", "Kevin", "Daniel", "Jenny", "Vivian", "Eric", "Jason", "Michelle",
               "Alan", "Karen", "Wei"),
        last=("Nguyen", "Chen", "Kim", "Park", "Tran", "Wong", "Lee", "Huang", "Lin", "Cho"),
    ),
    "south_asian": NamePool(
        first=("Priya", "Ananya", "Kavya", "Deepa", "Meera", "Sneha", "Rahul", "Arjun", "Vikram",
               "Rohan", "Sanjay", "Aditya", "Lakshmi", "Nikhil"),
        last=("Sharma", "Iyer", "Patel", "Reddy", "Nair", "Menon", "Rao", "Gupta", "Desai",
              "Kulkarni", "Banerjee", "Krishnan", "Joshi"),
    ),
    "british": NamePool(
        first=("Ollie", "Harriet", "Rhiannon", "Callum", "Fiona", "Eleanor", "Gemma", "Liam",
               "Amelia", "Jack", "Imogen", "Rory", "Poppy", "Alfie", "Zara", "Owain"),
        last=("Clarke", "Wright", "Davies", "Evans", "Robertson", "Shaw", "Holt", "Barker",
              "Jenkins", "Bradshaw", "Pritchard", "McLeod"),
    ),
    "british_asian": NamePool(
        first=("Aisha", "Zain", "Amir", "Sana", "Hamza", "Yasmin", "Imran", "Farah"),
        last=("Ahmed", "Khan", "Hussain", "Begum", "Mahmood", "Qureshi", "Malik"),
    ),
    "irish": NamePool(
        first=("Siobhán", "Aoife", "Ciara", "Orla", "Saoirse", "Cian", "Darragh", "Eoin", "Seán",
               "Conor", "Róisín", "Pádraig"),
        last=("Murphy", "Kelly", "O'Sullivan", "Byrne", "Ryan", "Doyle", "McCarthy", "Brennan",
              "Nolan", "Fitzgerald"),
    ),
    "french_canadian": NamePool(
        first=("Geneviève", "Mathieu", "Émilie", "Julien", "Chloé", "Étienne", "Isabelle", "Marc",
               "Sophie", "Olivier"),
        last=("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Leblanc", "Pelletier"),
    ),
    "maori": NamePool(
        first=("Aroha", "Mere", "Tama", "Wiremu", "Anahera", "Rawiri", "Hemi", "Kiri"),
        last=("Ngata", "Parata", "Tipene", "Horomona", "Te Rangi", "Walker", "Tāwhai"),
    ),
    "german": NamePool(
        first=("Anna", "Lena", "Katharina", "Julia", "Sophie", "Jonas", "Lukas", "Felix",
               "Tobias", "Jan", "Miriam", "Stefan", "Jana", "Moritz"),
        last=("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann",
              "Schulz", "Wagner", "Krüger", "Wolf", "Lange"),
    ),
    "dutch": NamePool(
        first=("Sanne", "Femke", "Lotte", "Anouk", "Daan", "Sem", "Bram", "Ruben", "Joost",
               "Maartje", "Thijs", "Ilse"),
        last=("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "van Dijk",
              "Mulder", "Bos", "van den Berg"),
    ),
    "kenyan": NamePool(
        first=("Grace", "Faith", "Mercy", "Joy", "Brian", "Dennis", "Collins", "Esther",
               "Wanjiru", "Achieng", "Njeri", "Kevin", "Purity", "Victor"),
        last=("Kamau", "Otieno", "Mwangi", "Wanjiku", "Ochieng", "Kiprop", "Chebet", "Njoroge",
              "Odhiambo", "Mutua", "Kariuki", "Wekesa"),
    ),
    "south_african": NamePool(
        first=("Thandiwe", "Lerato", "Naledi", "Sipho", "Thabo", "Zanele", "Pieter", "Annelie",
               "Riaan", "Ayesha", "Kagiso", "Nomvula"),
        last=("Dlamini", "Nkosi", "Mokoena", "Ndlovu", "van der Merwe", "Botha", "Naidoo",
              "Pillay", "Khumalo", "Mahlangu", "Jacobs", "Pretorius"),
    ),
    # Japanese names carry their written form; people show it family name first.
    "japanese": NamePool(
        first=(("Yuki", "由紀"), ("Haruka", "遥"), ("Aiko", "愛子"), ("Kenji", "健二"),
               ("Takeshi", "武"), ("Sho", "翔"), ("Naoko", "直子"), ("Daisuke", "大輔"),
               ("Emi", "恵美"), ("Ryo", "亮")),
        last=(("Suzuki", "鈴木"), ("Takahashi", "高橋"), ("Tanaka", "田中"), ("Watanabe", "渡辺"),
              ("Ito", "伊藤"), ("Yamamoto", "山本"), ("Nakamura", "中村"), ("Kobayashi", "小林"),
              ("Kato", "加藤")),
    ),
    "brazilian": NamePool(
        first=("Ana", "Beatriz", "Juliana", "Fernanda", "Larissa", "Camila", "Lucas", "Rafael",
               "Thiago", "Gustavo", "João", "Mariana"),
        last=("Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira",
              "Rocha", "Carvalho", "Lima", "Gomes"),
    ),
    "nigerian": NamePool(
        first=("Chiamaka", "Ngozi", "Adaeze", "Tunde", "Emeka", "Funmilayo", "Olumide", "Bisi",
               "Ifeoma", "Segun"),
        last=("Adeyemi", "Okonkwo", "Balogun", "Eze", "Afolabi", "Nwosu", "Ogunleye", "Okafor"),
    ),
    "filipino": NamePool(
        first=("Maricel", "Jocelyn", "Angelica", "Paolo", "Rodel", "Kristine", "Jerome", "Liza"),
        last=("Santos", "Reyes", "Cruz", "Bautista", "Villanueva", "Dela Cruz", "Mendoza",
              "Aquino"),
    ),
    "mexican": NamePool(
        first=("Ximena", "Fernanda", "Andrea", "Itzel", "Emiliano", "Santiago", "Rodrigo",
               "Paola"),
        last=("Hernández", "González", "Ramírez", "Cruz", "Jiménez", "Ortega", "Navarro",
              "Salinas"),
    ),
}

# --- Places ----------------------------------------------------------------------------

COUNTRIES: dict[str, Country] = {
    "US": Country(
        weight=30,
        cities=(
            "Austin, Texas, United States", "Chicago, Illinois, United States",
            "Denver, Colorado, United States", "Atlanta, Georgia, United States",
            "Boston, Massachusetts, United States", "Seattle, Washington, United States",
            "Minneapolis, Minnesota, United States", "Phoenix, Arizona, United States",
            "Raleigh, North Carolina, United States", "Columbus, Ohio, United States",
            "Sacramento, California, United States", "Albuquerque, New Mexico, United States",
            "Honolulu, Hawaii, United States", "Anchorage, Alaska, United States",
            "Philadelphia, Pennsylvania, United States", "Nashville, Tennessee, United States",
            "Salt Lake City, Utah, United States", "Milwaukee, Wisconsin, United States",
            "Richmond, Virginia, United States", "New Orleans, Louisiana, United States",
            "Brooklyn, New York, United States", "Detroit, Michigan, United States",
            "Miami, Florida, United States", "San Antonio, Texas, United States",
        ),
        pools=(("anglo", 40), ("latino", 20), ("black_us", 20), ("east_asian", 10),
               ("south_asian", 10)),
        maths="math",
        languages=("Spanish", "French", "ESL", "Mandarin"),
        tags=("EdChat", "TeachersOfMastodon"),
    ),
    "GB": Country(
        weight=10,
        cities=(
            "Manchester, United Kingdom", "Leeds, United Kingdom", "Bristol, United Kingdom",
            "Glasgow, United Kingdom", "Cardiff, United Kingdom", "Belfast, United Kingdom",
            "London, United Kingdom", "Sheffield, United Kingdom", "Edinburgh, United Kingdom",
        ),
        pools=(("british", 60), ("anglo", 10), ("british_asian", 15), ("south_asian", 10),
               ("nigerian", 5)),
        grades="year",
        languages=("French", "Spanish", "German", "EAL"),
        tags=("UKEdChat", "EduTwitterUK"),
    ),
    "IE": Country(
        weight=3,
        cities=("Dublin, Ireland", "Cork, Ireland", "Galway, Ireland"),
        pools=(("irish", 85), ("anglo", 15)),
        grades="year",
        languages=("Irish", "French", "German", "Spanish"),
        tags=("EdChatIE",),
    ),
    "CA": Country(
        weight=7,
        cities=("Toronto, Canada", "Vancouver, Canada", "Halifax, Canada", "Calgary, Canada",
                "Montréal, Canada", "Winnipeg, Canada", "Ottawa, Canada"),
        pools=(("anglo", 45), ("french_canadian", 25), ("south_asian", 15), ("east_asian", 15)),
        maths="math",
        languages=("French", "FSL", "Spanish"),
        tags=("CdnEd", "OntEd"),
    ),
    "AU": Country(
        weight=6,
        cities=("Melbourne, Australia", "Brisbane, Australia", "Perth, Australia",
                "Sydney, Australia", "Adelaide, Australia", "Hobart, Australia"),
        pools=(("anglo", 70), ("east_asian", 15), ("south_asian", 15)),
        grades="year",
        languages=("Japanese", "Indonesian", "French", "Italian"),
        tags=("AussieEd",),
    ),
    "NZ": Country(
        weight=3,
        cities=("Auckland, New Zealand", "Wellington, New Zealand", "Christchurch, New Zealand"),
        pools=(("anglo", 60), ("maori", 40)),
        grades="year",
        languages=("te reo Māori", "French", "Japanese"),
        tags=("EdChatNZ",),
    ),
    "IN": Country(
        weight=7,
        cities=("Bengaluru, India", "Pune, India", "Chennai, India", "Mumbai, India",
                "Delhi, India", "Hyderabad, India", "Kolkata, India"),
        pools=(("south_asian", 100),),
        languages=("English", "Hindi", "French"),
        tags=("IndianEducation",),
    ),
    "DE": Country(
        weight=4,
        cities=("Berlin, Germany", "Hamburg, Germany", "Munich, Germany", "Köln, Germany",
                "Leipzig, Germany"),
        pools=(("german", 100),),
        languages=("English", "French", "Spanish"),
        language="de",
        tags=("twlz", "FediLZ"),
    ),
    "NL": Country(
        weight=4,
        # The gazetteer calls it "The Netherlands"; "Utrecht, Netherlands" does not resolve.
        cities=("Utrecht, The Netherlands", "Amsterdam, The Netherlands",
                "Rotterdam, The Netherlands", "Eindhoven, The Netherlands",
                "Groningen, The Netherlands"),
        pools=(("dutch", 100),),
        languages=("English", "German", "French"),
        language="nl",
        tags=("onderwijs",),
    ),
    "KE": Country(
        weight=4,
        cities=("Nairobi, Kenya", "Mombasa, Kenya", "Kisumu, Kenya"),
        pools=(("kenyan", 100),),
        languages=("English", "Kiswahili", "French"),
        tags=("KenyaEdu",),
    ),
    "ZA": Country(
        weight=4,
        cities=("Cape Town, South Africa", "Johannesburg, South Africa",
                "Durban, South Africa", "Pretoria, South Africa"),
        pools=(("south_african", 100),),
        languages=("English", "isiZulu", "Afrikaans"),
        tags=("SAEdu",),
    ),
    "JP": Country(
        weight=3,
        cities=("Tokyo, Japan", "Sapporo, Japan", "Fukuoka, Japan", "Kyoto, Japan",
                "Osaka, Japan"),
        pools=(("japanese", 100),),
        languages=("English",),
        language="ja",
    ),
    "BR": Country(
        weight=4,
        cities=("São Paulo, Brazil", "Porto Alegre, Brazil", "Recife, Brazil",
                "Curitiba, Brazil", "Belo Horizonte, Brazil"),
        pools=(("brazilian", 100),),
        languages=("English", "Spanish"),
        language="pt",
        tags=("Educação",),
    ),
    "NG": Country(
        weight=3,
        cities=("Lagos, Nigeria",),
        pools=(("nigerian", 100),),
        languages=("English", "French", "Yoruba"),
    ),
    "PH": Country(
        weight=2,
        cities=("Manila, Philippines",),
        pools=(("filipino", 100),),
        maths="math",
        languages=("English", "Filipino"),
    ),
    "MX": Country(
        weight=2,
        cities=("Mexico City, Mexico", "Guadalajara, Mexico"),
        pools=(("mexican", 100),),
        maths="math",
        languages=("English", "French"),
        language="es",
    ),
    "SG": Country(
        weight=2,
        cities=("Singapore, Singapore",),
        pools=(("east_asian", 60), ("south_asian", 40)),
        languages=("English", "Mandarin", "Malay", "Tamil"),
    ),
}

GRADES = {
    "grade": ("6th grade", "7th grade", "8th grade", "9th grade", "middle school", "high school"),
    "year": ("Year 7", "Year 8", "Year 9", "Year 10", "Year 11", "secondary"),
}
# fmt: on

# --- Roles -----------------------------------------------------------------------------

# Interests anyone in a group may add to those of their role.
GENERAL_INTERESTS = {
    "teachers": ("EduMatch", "EdTech", "K12", "EdChat", "UDL", "OER", "Equity", "Wellbeing", "PLN"),
    "libraries": ("EduMatch", "DigitalLiteracy", "OER", "Equity", "EdChat", "PLN"),
    "edtech": ("EduMatch", "DigitalLiteracy", "AIinEducation", "OER", "UDL", "PLN"),
    "ld": ("FutureOfWork", "AIinEducation", "PLN", "Wellbeing", "EduMatch", "Accessibility"),
}

ROLES: dict[str, Role] = {
    "science": Role(
        title="science teacher",
        group="teachers",
        weight=16,
        emoji=("🔬", "🧪", "🌱", "🔭"),
        username_suffixes=("sci", "science", "teaches", "lab"),
        interests=("STEM", "SciComm", "MakerEd", "NGSS", "ScienceTeacher", "CitizenScience"),
        bios=(
            "I teach {grade} science in {city}.",
            "{grade} science teacher. Rocks, bugs, and a lot of questions.",
            "Chemistry teacher, {years} years in. Things fizz in my room on purpose.",
            "Physics teacher at a public school in {city}.",
            "Biology and environmental science, {grade}.",
        ),
        posts=(
            "Today's {grade} lab: density towers with honey, dish soap and water. The gasps when the grape stopped halfway down! {tag}",
            "Phenomenon of the week: why does a can crush when you cool it? Drop your best guesses before I spoil it. {tag}",
            "My students designed their own experiments on plant growth and one group is testing... music. Heavy metal vs. lullabies. Results Friday. {tag} {tag2}",
            "Reminder that 'I don't know yet, let's find out' is the most scientific sentence you can say in front of a class.",
            "We sent a weather balloon sensor up with the after-school club. It landed in a farmer's field 40 km away. The farmer was very nice about it. {tag}",
            "Shared my whole unit on ecosystems, free to adapt: https://example.org/units/ecosystems-open {tag}",
            "Who else is doing the citizen-science bird count with their class this month? We logged {n} species in the schoolyard. {tag}",
            "The fume hood is broken again, so today's chemistry is 'thought experiments'. The kids are thrilled. Not.",
            "Kid asked if the moon has a smell. I said I'd find out. Turns out astronauts say moon dust smells like spent gunpowder. Tomorrow's warm-up is sorted.",
            "Grading {n} lab reports tonight. The best line so far: 'the hypothesis was wrong, which is data.' Exactly right!",
            "Question for science teachers: how do you run labs with 32 students and 8 sets of equipment? Stations? Rotations? Prayer? {tag}",
            "Tried a claim-evidence-reasoning frame for the first time. The quality of arguments jumped overnight. Template here: https://example.org/cer/claim-evidence-reasoning",
            "Eclipse glasses ordered for the whole school. {n} days to go and I am more excited than the students. {tag}",
            "Slime is not a lesson plan. Unless you measure its viscosity. Then it is a lesson plan. {tag}",
            "Field trip to the water treatment plant today. Nobody fell in. Everybody learned something. Success.",
            "Thanks {friend} for the idea of using phone slow-motion video to measure falling objects. It worked beautifully with {grade}.",
            "Pendulum lab data from three classes, anonymised, free for anyone teaching graphing: https://example.org/labs/pendulum-data {tag}",
        ),
        links=("lessons/density-towers", "labs/pendulum-data", "phenomena/can-crush"),
    ),
    "maths": Role(
        title="{maths} teacher",
        group="teachers",
        weight=14,
        emoji=("📐", "🧮", "➗", "📊"),
        username_suffixes=("math", "maths", "teaches", "numbers"),
        interests=("MTBoS", "ITeachMath", "MathsChat", "STEM", "Desmos", "NumberTalks"),
        bios=(
            "{grade} {maths} teacher in {city}.",
            "Teaching {maths} so nobody has to say 'I'm not a {maths} person' again.",
            "{maths} teacher and department head. Fan of low floors and high ceilings.",
            "Secondary {maths}, {years} years. Puzzles, number talks and bad puns.",
        ),
        posts=(
            "Number talk warm-up today: 18 × 5. Seven different strategies from one class. My favourite was doubling and halving. {tag}",
            "Which one doesn't belong? Four graphs, every answer defensible. My {grade} class argued for 20 minutes. Slides: https://example.org/maths/which-one-doesnt-belong {tag}",
            "I asked 'where have you seen a parabola this week?' and got fountains, basketball, and someone's cat jumping off a sofa. {tag}",
            "Estimation 180 day {n}: how many sheets in this stack of paper? Closest guess wins eternal glory. {tag}",
            "Started the term with a growth mindset poster. Ending it with a poster that says 'mistakes are data'. Progress.",
            "Does anyone have a good intro task for standard deviation that isn't shoe sizes? Asking for a tired {maths} teacher. {tag}",
            "We built a scale model of the solar system on the football field. Neptune was in the car park. {tag} {tag2}",
            "Vertical non-permanent surfaces update: the whiteboards on every wall are the best money we ever spent. {tag}",
            "Desmos activity on linear functions, free to copy: https://example.org/desmos/linear-functions {tag}",
            "A student found a mistake in the textbook answer key today and I have never seen a prouder face. {tag}",
            "'When will I ever use this?' Today. You used it today. In this lesson. {tag}",
            "Co-planning with {friend} on the fractions unit this week and it is so much better than planning alone.",
            "Marked {n} mock exams. The most common error was copying the question wrong. Next lesson: slowing down.",
            "Pi Day plans: pie, obviously. And a proof. But mostly pie. {tag}",
            "Low floor, high ceiling task of the week: how many squares on a chessboard? (It's not 64.) {tag}",
        ),
        links=("number-talks/week-7", "tasks/chessboard-squares", "maths/estimation-180"),
    ),
    "languages": Role(
        title="{subject} teacher",
        group="teachers",
        weight=14,
        emoji=("🗣️", "🌍", "✏️", "💬"),
        username_suffixes=("teaches", "lang", "langs", "words"),
        interests=("ELT", "LangChat", "MFL", "FlipGrid", "Multilingual", "ComprehensibleInput"),
        bios=(
            "{subject} teacher in {city}. Languages open doors.",
            "I teach {subject} in {city} and I will talk about comprehensible input for hours.",
            "{subject} and ELT, {years} years. Stories, songs and a lot of gestures.",
            "World languages teacher ({subject}). Multilingual classrooms are the best classrooms.",
        ),
        posts=(
            "Story-asking in {subject} today: the class invented a penguin who runs a bakery. Every single student used the past tense correctly to defend him. {tag}",
            "My students recorded short video introductions for our partner school abroad. The replies came back this morning and the room went wild. {tag}",
            "New word of the day routine: one student picks a word they love from home, teaches it to the class. We have {n} languages in one room. {tag}",
            "Tip: stop correcting every error in speaking. Recast and move on. Fluency first, accuracy follows. {tag}",
            "Free pack of picture prompts for speaking practice: https://example.org/languages/picture-prompts {tag}",
            "Exam season means my {grade} students are suddenly very interested in grammar. Funny how that works.",
            "Song of the week in class went so well the PE teacher asked what we were singing. {tag}",
            "Does anyone run a pen-pal exchange with a school in another time zone? Looking for a partner class for {grade}. {tag}",
            "Comprehensible input is not 'easy'. It's making sure every student understands enough to keep going. Big difference. {tag}",
            "Thanks {friend} for the role-play cards, the market scene was chaos in the best way.",
            "A student who said nothing for three weeks told a whole joke in {subject} today. I'm not crying, you're crying. {tag}",
            "Dictogloss with {grade}: read a short text twice, they rebuild it in groups. The arguing over word order is the learning. {tag}",
        ),
        links=("languages/story-asking", "elt/dictogloss-guide", "exchange/partner-classes"),
    ),
    "school_librarian": Role(
        title="school librarian",
        group="libraries",
        weight=12,
        emoji=("📚", "📖", "🔖"),
        username_suffixes=("reads", "library", "lib", "books"),
        interests=(
            "Libraries",
            "SchoolLibraries",
            "BookTalk",
            "DigitalLiteracy",
            "ReadingForPleasure",
            "InfoLit",
        ),
        bios=(
            "School librarian in {city}. Every student deserves to see themselves on the shelf.",
            "Teacher librarian at a secondary school. Book talks, makerspace, and media literacy.",
            "I run the library at a school in {city}. Ask me for a book recommendation, I dare you.",
            "School library media specialist, {years} years. Reading for pleasure is a right.",
        ),
        posts=(
            "Book tasting in the library today: tables set like a café, a menu of genres, {n} students leaving with something new. {tag}",
            "A {grade} student returned '{book}' and asked for 'another one that makes me feel like that'. Best question in the world. {tag}",
            "Media literacy lesson: we compared three headlines about the same event. The students spotted the spin faster than most adults. {tag}",
            "Our library makerspace now has a button-maker and it has changed the social life of the entire school. {tag}",
            "New display: books by authors from our own city. The kids can't believe people from here write books. {tag}",
            "Lateral reading is the most useful skill I teach. Leave the page, see what others say about the source. Lesson plan: https://example.org/library/lateral-reading {tag}",
            "Overdue fines are gone in our library as of this term. Returns went UP. {tag}",
            "Shout-out to {friend} for the booklist on climate fiction for teens, we ordered half of it.",
            "Reading for pleasure survey results: {n}% of our students say they read something they chose themselves this week. Aiming higher. {tag}",
            "Author visit today! Watching a shy reader get a book signed is the whole job. {tag}",
            "Weeding the nonfiction section. Found a book that says Pluto is a planet AND one that says it isn't. History! {tag}",
            "Citation lesson tip: start with 'how would you find this again?' instead of formatting rules. {tag}",
        ),
        links=(
            "library/book-tasting-kit",
            "library/media-literacy-headlines",
            "library/climate-fiction-teens",
        ),
    ),
    "public_librarian": Role(
        title="public librarian",
        group="libraries",
        weight=10,
        emoji=("📚", "🏛️", "📖"),
        username_suffixes=("library", "lib", "reads"),
        interests=(
            "Libraries",
            "PublicLibraries",
            "DigitalInclusion",
            "CommunityLibraries",
            "StoryTime",
            "DigitalLiteracy",
        ),
        bios=(
            "Public librarian in {city}: teen services, digital help desk, and a lot of story times.",
            "Adult learning and digital inclusion at the {city} public library.",
            "Branch librarian. Libraries are the last free indoor places and I will defend them.",
            "Youth services librarian, {years} years. Ask me about our seed library.",
        ),
        posts=(
            "Digital help desk today: helped someone set up their first email account at 78. She sent her granddaughter a photo within ten minutes. {tag}",
            "Story time had {n} toddlers and one very patient grandad doing all the actions. Legend. {tag}",
            "Our seed library opens next week. Borrow tomatoes, return tomatoes (well, their seeds). {tag}",
            "Teen advisory board picked our next graphic novel orders and honestly their taste is better than mine. {tag}",
            "Free workshop series on spotting scams online, every Tuesday this month: https://example.org/library/scam-spotting-workshops {tag}",
            "The library is the warm room, the quiet room, the job-search room, the homework room. All free. {tag}",
            "Planning a summer reading challenge with {friend} and three local schools. Public + school libraries together is the way. {tag}",
            "We lend laptops and hotspots now. Waiting list is {n} people long. Digital inclusion is not a solved problem. {tag}",
            "Someone returned a book with a pressed flower in it from 1987. Kept it for the display case. {tag}",
            "Library card sign-up month: {n} new cards this week, mostly kids who came in with their class. {tag}",
        ),
        links=("library/seed-library", "library/digital-help-desk", "library/summer-reading"),
    ),
    "edtech": Role(
        title="EdTech coach",
        group="edtech",
        weight=17,
        emoji=("💻", "🛠️", "🖥️", "⚙️"),
        username_suffixes=("edtech", "tech", "it", "coach"),
        interests=(
            "EdTech",
            "ISTE",
            "FlipGrid",
            "K12",
            "EdTechCoach",
            "Cybersecurity",
            "DigitalCitizenship",
            "GoogleEdu",
        ),
        bios=(
            "EdTech coach for a school district near {city}. I help teachers use tools that actually help.",
            "IT admin at a K-12 school in {city}: networks, laptops, and the occasional projector exorcism.",
            "Instructional technology coach. Pedagogy first, tools second. {years} years in schools.",
            "Digital learning lead and former classroom teacher. I speak both teacher and IT.",
            "School network and systems admin in {city}. Yes, I did try turning it off and on again.",
        ),
        posts=(
            "Rolled out {n} new student laptops today. Only one was dropped. On the first day. By a teacher. {tag}",
            "PSA: if a tool needs student data, ask where it's stored and who can see it BEFORE the pilot, not after. {tag}",
            "Ran a 20-minute 'tech tapas' session for staff: three small tools, one tiny idea each. Way better than a 2-hour training. {tag}",
            "The wifi in the gym is now fixed. I have achieved my final form. {tag}",
            "Password manager training for staff next week. If I can save one sticky note from a monitor, it's worth it. {tag}",
            "Video response tools are great for students who freeze when they speak in front of the class. Quiet kids find their voice. {tag}",
            "Wrote up how we do device check-in at the end of the year without losing our minds: https://example.org/edtech/device-check-in {tag}",
            "Coaching cycle with {friend} this month on feedback with {tool}. Their students now get comments within a day instead of two weeks.",
            "AI in classrooms: write your policy with teachers and students in the room, not about them. Our draft: https://example.org/edtech/ai-policy-draft {tag}",
            "Phishing simulation results: {n}% clicked. Last year it was double. Training works, slowly. {tag}",
            "Found a classroom projector that has been on, unused, since September. The bulb survived. I'm impressed and appalled.",
            "Small win: every teacher in the building can now share their screen without calling me. Ten years of work. {tag}",
            "Quick reminder that accessibility settings (captions, reader view, dictation) help everyone, not only students with plans. {tag}",
            "Migrating {n} classes to the new {tool} setup this weekend. Send coffee. {tag}",
        ),
        links=("edtech/tech-tapas", "edtech/privacy-checklist", "it/phishing-training"),
    ),
    "ld": Role(
        title="L&D lead",
        group="ld",
        weight=17,
        emoji=("🌱", "🧭", "🎯", "💡"),
        username_suffixes=("learns", "ld", "talent", "dev"),
        interests=(
            "LearningAndDevelopment",
            "TalentDev",
            "WorkplaceLearning",
            "InstructionalDesign",
            "Leadership",
            "Coaching",
            "PeopleOps",
        ),
        bios=(
            "Learning & development lead at a tech company in {city}. I build programmes people want to attend.",
            "Talent development and leadership coaching, {years} years. Former teacher, still a teacher.",
            "Instructional designer in {city}. Less content, more practice.",
            "Head of L&D. Onboarding, mentoring, manager training. I believe in learning in the flow of work.",
            "Talent development partner. Careers are climbing walls, not ladders.",
        ),
        posts=(
            "Hot take: most onboarding is an information dump in week one. Spread it out, pair people up, check in at day 30 and 90. {tag}",
            "Ran our first peer-coaching circle for new managers. Six people, one hour, zero slides. Best feedback of the year. {tag}",
            "Completion rates are not a learning metric. What changed in how people work? That's the question. {tag}",
            "Our mentoring programme matched {n} pairs this quarter. Tip: let mentees choose from three suggestions instead of assigning. {tag}",
            "Microlearning is great for reminders and terrible for building skills from scratch. Use both, know which is which. {tag}",
            "Wrote up our manager-training curriculum, feel free to steal: https://example.org/ld/manager-training-curriculum {tag}",
            "Every teacher I know who moved into L&D says the same thing: classroom management prepares you for workshops with executives. {tag}",
            "Skills-based hiring means skills-based development too. Mapping our roles to skills this month. {tag} {tag2}",
            "Thanks {friend} for the session design on psychological safety, we adapted it for our leadership offsite.",
            "Learning needs analysis lesson: ask 'what does good look like?' before asking 'what training do you want?' {tag}",
            "Feedback from a workshop today: 'first training where I didn't check my email'. I'll take it. {tag}",
            "Half our learners are in a different time zone from the facilitators. Async first, live sessions for practice only. {tag}",
            "A career conversation template that actually gets used: https://example.org/ld/career-conversations {tag}",
        ),
        links=("ld/onboarding-90-days", "ld/peer-coaching-circles", "ld/skills-map"),
    ),
}

BIO_EXTRAS = (
    "Runner, reluctant gardener, owner of too many mugs.",
    "Opinions my own.",
    "Co-moderator of the #EduMatch chat.",
    "Parent of two, dog person, terrible at crosswords.",
    "Always learning.",
    "Coffee first.",
    "Amateur baker and hiking enthusiast.",
    "Here to share ideas and steal better ones.",
    "First-generation college graduate.",
    "Board games on weekends.",
    "Trying to read 50 books this year.",
    "Cat person.",
    "Powered by tea.",
)

BOOKS = (
    "The Lighthouse at Nine Rivers", "Small Gods of the Suburbs", "A Map for Lost Things",
    "The Last Library on Mars", "Salt and Starlight", "When the Tide Went Out",
    "The Boy Who Counted Clouds", "Paper Lanterns", "The Girl with the Copper Kite",
)  # fmt: skip
TOOLS = (
    "Google Classroom", "Canvas", "Seesaw", "Flip", "Padlet", "Microsoft Teams", "Moodle",
    "Kahoot", "Nearpod", "the new LMS",
)  # fmt: skip
TOPICS = (
    "student voice", "feedback that sticks", "AI in assessment", "teacher wellbeing",
    "reading for pleasure", "onboarding", "hybrid learning", "project-based learning",
    "digital citizenship", "inclusive classrooms", "mentoring", "assessment for learning",
)  # fmt: skip
GENERAL_LINKS = (
    "blog/what-i-learned-this-term", "notes/conference-takeaways", "slides/keynote-remix",
    "blog/small-changes-big-difference", "podcast/episode-42",
)  # fmt: skip

# --- Posts everyone may write --------------------------------------------------------

GENERAL_POSTS = (
    "Who's joining #EduMatch on Tuesday? Topic is {topic}. Bring your best ideas and your worst mistakes.",
    "Thank you to everyone in tonight's #EduMatch chat. Three new people to follow and a page of notes. {tag}",
    "Conference takeaway: the best session I went to had no slides. Just a good question and a room full of people who cared. {tag}",
    "Monday. Coffee. Let's go. {tag}",
    "What's one small thing you changed this year that made a big difference? Mine: {topic}. {tag}",
    "Reading '{book}' this weekend for fun. Any other recommendations? {tag}",
    "Rainy day in {city}. Perfect weather for planning. Or napping. Probably napping.",
    "Grateful for my PLN. Half of what I tried this year came from people on here. {tag}",
    "New blog post: what I learned this term about {topic}. {link}",
    "Anyone going to ISTE this year? Would love to meet up. {tag}",
    "Just finished a workshop on {topic} with {friend}. So many ideas, so little time. {tag}",
    "Quick poll in the replies: best snack for a long afternoon of planning? {tag}",
    "Reminder to take a real lunch break this week. The emails will still be there. {tag}",
    "Found an old notebook from my first year. Past me had no idea. Present me still has no idea, but with better systems. {tag}",
    "The best professional development I've had this year was a hallway conversation. {tag}",
    "Long weekend in {city}. Phone off, books on. See you Tuesday.",
    "If you're new to all this: follow a few people from a chat you enjoy, then follow who they talk to. That's how my PLN grew. {tag}",
    "Question for the room: how do you keep track of ideas you find here? Bookmarks? A notebook? A very long note on your phone? {tag}",
    "Three things that worked this week: shorter instructions, more wait time, and biscuits. {tag}",
    "Podcast recommendation for the commute: an episode on {topic} that changed how I plan. {link}",
    "Spent the afternoon reading everyone's posts about {topic}. This community is a gift. {tag}",
    "Unpopular opinion: most meetings about {topic} should be a shared doc and a 10-minute chat. {tag}",
)

# A person's first post, sometimes.
INTRODUCTION = (
    "Hello! New here. I work in {city} and care a lot about {topic}. Say hi! #Introductions {tag}"
)

# Replies, by the kind of post they answer: a question, a shared resource, a moan (or a
# post behind a content warning), anything else (a story), or a reply further down a thread.
REPLIES = {
    "question": (
        "Great question. For us it was starting small and asking for feedback early.",
        "Ooh, following this thread for the answers.",
        "Stations, always stations. And a timer everyone can see.",
        "Honestly? A shared doc and a lot of goodwill.",
        "We tried three things before one stuck. Happy to share what didn't work too.",
        "Asking myself the same question this week!",
        "Not sure, but {friend} wrote something about this a while ago.",
        "Depends on the group, but short and often beats long and rare for us.",
        "Peanut butter on apple slices. Fight me.",
        "A notebook. Paper. I know, I know.",
    ),
    "share": (
        "This is brilliant. Stealing it for next week!",
        "Bookmarking this. Thank you for sharing.",
        "Wonderful. I'm sharing this with my whole team.",
        "Thank you! Adapting this for my group already.",
        "So generous of you to share this.",
        "Saved. This is exactly what I was looking for.",
        "Used this today and it worked. Thank you!",
        "Passing this on to our new staff. So useful.",
    ),
    "moan": (
        "Sending coffee and good vibes your way.",
        "Solidarity. Hang in there.",
        "Ugh, same here. It's that time of year.",
        "Hope the rest of the week is kinder to you.",
        "You're doing more than enough. Really.",
        "Oof. Take the evening off if you can.",
        "Been there. It gets better, promise.",
    ),
    # Someone describing something they did or tried (most posts of a role).
    "idea": (
        "Love this. How long did it take to set up?",
        "Yes! We tried something similar and the students loved it.",
        "Do you have the slides somewhere? Would love to adapt this.",
        "How did you get buy-in from the rest of your team?",
        "Interesting! Did it work as well with the older groups?",
        "Can confirm, this works. Did it last term.",
        "Stealing this idea, thank you!",
        "We should compare notes on this sometime.",
        "I'd add: give people time to practise, not only to listen.",
        "Congratulations, that's a big deal!",
        "This made my day!",
        "Ha, I needed this laugh today.",
    ),
    # Small talk: the weather, Mondays, gratitude.
    "story": (
        "This made my day!",
        "Same here! I thought it was only me.",
        "Agree 100%. Wish more people said it out loud.",
        "The best kind of day. Enjoy it!",
        "Love everything about this.",
        "Needed this reminder today, thank you.",
        "So true.",
        "Enjoy! You've earned it.",
    ),
    "admin": (
        "Thanks for running this place!",
        "Noted, thank you!",
        "Love this community. Thank you, admins.",
    ),
    "intro": (
        "Welcome! Glad you're here.",
        "Hi and welcome! You'll love the #EduMatch chat on Tuesdays.",
        "Welcome aboard! Say hi in the next chat, we're a friendly bunch.",
        "Hello! Great to have you here.",
    ),
    "thread": (
        "Agree with all of this.",
        "+1 to this. Great thread.",
        "Adding this to my notes, thank you both.",
        "This thread is gold.",
        "Jumping in late: same experience here.",
        "Ha, love where this conversation went.",
    ),
}
SAME_CITY_REPLY = "Fellow {city} person here, we should meet up sometime!"

# What the author says back to someone who replied: the answer that fits their reply, or
# else one of the general ones.
FOLLOW_UPS = {
    "Do you have the slides somewhere? Would love to adapt this.": "Thank you! The slides are here: {link}",
    "Love this. How long did it take to set up?": "Honestly about an hour, most of it laminating.",
    "How did you get buy-in from the rest of your team?": "Mostly by bringing cake to the meeting. And a small pilot with numbers.",
    "Interesting! Did it work as well with the older groups?": "It worked even better with the older ones, surprisingly.",
    "We should compare notes on this sometime.": "Let's do it. Tuesday after the chat?",
    "Congratulations, that's a big deal!": "Thanks! It's been a long time coming.",
    "Same here! I thought it was only me.": "Ha, glad it's not only me either.",
    "I'd add: give people time to practise, not only to listen.": "Good point, I'll add that to the write-up.",
    "We tried three things before one stuck. Happy to share what didn't work too.": "Yes please! Especially what didn't work.",
    "Stations, always stations. And a timer everyone can see.": "The visible timer is a great idea, trying it tomorrow.",
    "Thank you! Adapting this for my group already.": "Let me know how it goes with your group!",
    "Used this today and it worked. Thank you!": "That makes my day, thank you for telling me.",
    "Hi and welcome! You'll love the #EduMatch chat on Tuesdays.": "Thank you! I'll be there on Tuesday.",
}
ANSWERS = (
    "Thank you!",
    "Thank you, that means a lot.",
    "Ha! Great minds.",
    "Thanks! Let me know how it goes.",
    "Appreciate it!",
    "Glad it was useful.",
)

# Someone replying to their own post, shortly after.
THREAD_CONTINUATIONS = (
    "2/ And the part that surprised me most: the quietest people did the most talking.",
    "2/ Resources, for anyone who wants them: {link}",
    "2/ Next time I'll give them more time at the start and less at the end.",
    "2/ If you try this, tell me how it goes!",
    "2/ The key was letting them choose the topic. Ownership changes everything.",
    "Follow-up: it worked again today with a completely different group. {tag}",
)

# (content warning, text)
CONTENT_WARNED = (
    (
        "Report card venting",
        "Report card comments due Friday. I have written 'a pleasure to have in class' {n} times and I mean it every time but my brain is soup. {tag}",
    ),
    (
        "Long post on burnout",
        "Honest post: this term has been hard. Sleeping badly, marking on weekends, guilt when I don't. Taking Saturday fully off. Check on your colleagues. {tag}",
    ),
    (
        "Book spoilers: {book}",
        "The twist at the end of '{book}' made an entire class groan out loud. Best reaction I've ever had to a read-aloud.",
    ),
    (
        "Food",
        "Staff room cake situation: three lemon drizzles, one suspicious banana bread, zero plates. {tag}",
    ),
    (
        "Mild rant about printers",
        "The printer jammed {n} times before 8 am. I have named it. I will not share the name here. {tag}",
    ),
    (
        "Exam results, stress",
        "Results day tomorrow. Whatever the numbers say, I'm proud of how hard my students worked. {tag}",
    ),
    (
        "Politics, school funding",
        "Our budget was cut again. That's {n} fewer books, one fewer assistant, and a lot more pretending it's fine. Fund schools properly. {tag}",
    ),
)

# Posts in the languages some people also post in, keyed by language code.
LOCAL_POSTS = {
    "ja": (
        "今日の英語の授業では、生徒たちがペアで自己紹介の動画を作りました。恥ずかしがり屋の子も楽しそうでした！ #教育 #ELT",
        "来週、オンラインで海外の学校と交流授業をします。時差の調整が大変ですが、楽しみです。 #教育",
        "部活の後に授業準備。先生の一日は長いですね。 #教育",
        "新しい多読用の本が図書室に届きました。生徒に紹介するのが楽しみです。 #教育 #ELT",
        "Today my students explained Japanese school lunch to our partner class in Canada. They were so proud. #教育 #ELT",
    ),
    "de": (
        "Heute im Unterricht: Experimente mit Luftballons und statischer Elektrizität. Die Haare standen, die Klasse lachte. #twlz",
        "Fortbildung zu digitalen Tools heute. Bestes Zitat: 'Erst die Pädagogik, dann das Werkzeug.' #twlz #FediLZ",
        "Zeugniskonferenzen diese Woche. Viel Kaffee, wenig Schlaf. #twlz",
        "Wer hat gute Materialien zu {topic}? Sammle gerade Ideen für das nächste Halbjahr. #FediLZ",
    ),
    "nl": (
        "Vandaag een les over nepnieuws: leerlingen moesten drie koppen vergelijken. Ze waren scherper dan ik dacht! #onderwijs",
        "Studiedag over formatief handelen. Eindelijk tijd om met collega's te praten. #onderwijs",
        "Wie heeft er tips voor {topic}? Ik zoek ideeën voor volgend schooljaar. #onderwijs",
    ),
    "pt": (
        "Hoje a turma apresentou os projetos de ciências para as famílias. Que orgulho! #Educação",
        "Formação de professores sobre tecnologia na sala de aula. Primeiro a pedagogia, depois a ferramenta. #Educação #EdTech",
        "Alguém tem sugestões de livros para jovens leitores? Quero renovar a biblioteca da escola. #Educação",
        "Semana de provas. Muito café e muita paciência. #Educação",
    ),
    "es": (
        "Hoy mis estudiantes presentaron sus proyectos bilingües. ¡Qué orgullo! #EduMatch",
        "Taller de herramientas digitales con colegas de toda la ciudad. Primero la pedagogía, después la tecnología. #EdTech",
        "¿Alguien tiene recursos sobre {topic}? Estoy planeando el próximo semestre.",
    ),
}

# Private conversations between two people who follow each other: (opening, answer,
# closing); an empty closing means the conversation stops after the answer.
DIRECT_SCRIPTS = (
    (
        "Are you free to co-host the science slot at the next #EduMatch chat? I'd love to do it together.",
        "Yes! Count me in. Want to draft the questions on Sunday?",
        "Perfect. I'll start a doc and send it over.",
    ),
    (
        "Quick question, off the timeline: how did you get your admin to approve the new reading programme?",
        "Honestly? Data from a small pilot and a lot of patience. Happy to share the proposal.",
        "",
    ),
)

ADMIN_POSTS = (
    "Welcome to Confab! This is a community for teachers, librarians, EdTech and L&D people. Introduce yourself with #Introductions and tell us what you care about.",
    "Community reminder: be kind, assume good intent, and use content warnings for heavy topics. Reports come straight to the admin team.",
    "The #EduMatch chat runs every Tuesday evening. Follow the hashtag to see the questions as they go up.",
    "New here? Fill in your city and interests on your profile so people near you and like you can find you.",
)

# --- The people who are always there -----------------------------------------------------

ANCHORS = (
    Anchor(
        username="ada",
        display_name="Ada Okonkwo 🔬",
        role="science",
        country="US",
        city="Portland, Oregon, United States",
        interests=("STEM", "SciComm", "MakerEd", "EduMatch", "NGSS", "K12"),
        note="Middle school science teacher in Portland. Phenomena first, vocabulary later. I host the science slot of #EduMatch and bring snacks to every #MakerEd night.",
        links=(("Classroom blog", "https://example.org/ada/blog"),),
        locked=True,
        hub=True,
    ),
    Anchor(
        username="admin",
        display_name="Confab Admin",
        role="edtech",
        country="CA",
        city="Toronto, Canada",
        interests=("ConfabMeta", "EduMatch"),
        note="The admin team of this Confab server. Questions, reports or ideas: mention us or post with #ConfabMeta.",
        links=(("About this server", "https://example.org/about"),),
    ),
    Anchor(
        username="misaki_sato",
        display_name="佐藤 美咲",
        role="languages",
        country="JP",
        city="Osaka, Japan",
        interests=("ELT", "教育", "FlipGrid", "EdTech", "Multilingual"),
        note="Junior high school English teacher in Osaka. 大阪の中学校で英語を教えています。 #ELT #教育",
        links=(("Class exchange project", "https://example.org/exchange/osaka"),),
        local_share=0.5,
    ),
    Anchor(
        username="leticia_reads",
        display_name="Leticia Morales 📚",
        role="school_librarian",
        country="US",
        city="San Antonio, Texas, United States",
        interests=("Libraries", "SchoolLibraries", "DigitalLiteracy", "BookTalk", "EduMatch"),
        note="High school librarian in San Antonio. Media literacy, book talks and a makerspace in the back room. #Libraries #DigitalLiteracy",
        links=(("Library site", "https://example.org/library/leticia"),),
        hub=True,
    ),
    Anchor(
        username="marcus_edtech",
        display_name="Marcus Bell 💻",
        role="edtech",
        country="US",
        city="Atlanta, Georgia, United States",
        interests=("EdTech", "ISTE", "FlipGrid", "K12", "EdTechCoach", "AIinEducation"),
        note="District EdTech coach in Atlanta and former 5th grade teacher. Pedagogy first, tools second. #EdTech #ISTE",
        links=(
            ("Podcast", "https://example.org/podcast/marcus"),
            ("Workshops", "https://example.org/edtech/marcus"),
        ),
        hub=True,
    ),
    Anchor(
        username="niamh_ld",
        display_name="Niamh Gallagher",
        role="ld",
        country="IE",
        city="Dublin, Ireland",
        interests=(
            "LearningAndDevelopment",
            "TalentDev",
            "Coaching",
            "WorkplaceLearning",
            "Leadership",
        ),
        note="Head of learning & development at a software company in Dublin. Ex-secondary teacher. I write about onboarding and manager training. #LearningAndDevelopment #TalentDev",
        links=(("Newsletter", "https://example.org/ld/niamh"),),
        hub=True,
    ),
)


# --- Starter kits (confab.curation.demo builds them) -----------------------------------


@dataclass(frozen=True)
class Kit:
    """A starter kit: the anchors in it, the demo people whose interests match `people_with`
    (up to `extra_people` of them), hashtags, chats (by hashtag) and a public list."""

    owner: str
    title: str
    description: str
    people: tuple[str, ...]
    people_with: str
    extra_people: int
    hashtags: tuple[str, ...]
    chats: tuple[str, ...]
    list_title: str = ""
    featured: bool = False


KITS = (
    Kit(
        owner="ada",
        title="Science teachers: start here",
        description="Teachers who share labs, phenomena and questions, the hashtags they use "
        "and the science chat. Follow all, or untick who you like.",
        people=("ada", "marcus_edtech"),
        people_with="STEM",
        extra_people=8,
        hashtags=("STEM", "SciComm", "MakerEd", "NGSS"),
        chats=("SciTeachChat", "EduMatch"),
        list_title="Science teachers",
        featured=True,
    ),
    Kit(
        owner="leticia_reads",
        title="School librarians",
        description="Librarians, media literacy and book talks: the people, the hashtags, "
        "and #LibChat on Thursdays.",
        people=("leticia_reads",),
        people_with="Libraries",
        extra_people=6,
        hashtags=("Libraries", "SchoolLibraries", "DigitalLiteracy", "BookTalk"),
        chats=("LibChat",),
        featured=True,
    ),
    Kit(
        owner="niamh_ld",
        title="Learning & development at work",
        description="People who train people at work: onboarding, coaching and manager training.",
        people=("niamh_ld",),
        people_with="LearningAndDevelopment",
        extra_people=6,
        hashtags=("LearningAndDevelopment", "TalentDev", "Coaching"),
        chats=("LDchat",),
    ),
)
