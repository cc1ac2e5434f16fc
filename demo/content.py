"""The demo's invented content: owners, outlets, stories, the inbox and the demo accounts.

Everything here is invented: the outlets, their owners and domains (all under the
reserved .example top-level domain), the stories, headlines and key points.
demo.plan turns it into rows to create; demo.load creates the missing ones.
"""

from dataclasses import dataclass

from django.utils.text import slugify

from sources.ratings import Bias, Factuality, OwnerCategory

SEED = 20240611
RATED_BY = "Newsroom ratings desk"
DEMO_FEED_REASON = "Demo feed: fictional outlet"

# --- Owners ---------------------------------------------------------------------

# name -> (category, country)
OWNERS = {
    "Harbor Ledger Trust": (OwnerCategory.NONPROFIT, "US"),
    "Meridian Media Group": (OwnerCategory.MEDIA_CONGLOMERATE, "US"),
    "Ashford Family Holdings": (OwnerCategory.WEALTHY_INDIVIDUAL, "US"),
    "Keystone Local News": (OwnerCategory.PRIVATE_EQUITY, "US"),
    "Northgate Broadcasting Authority": (OwnerCategory.GOVERNMENT, "CA"),
    "Brightline Telecom": (OwnerCategory.TELECOM, "US"),
    "Crestline Communications plc": (OwnerCategory.PUBLIC_COMPANY, "GB"),
    "Open Field Media": (OwnerCategory.INDEPENDENT, "US"),
    "Redcedar Workers' Cooperative": (OwnerCategory.OTHER, "US"),
    "Hearthstone Press": (OwnerCategory.INDEPENDENT, "CA"),
    "Hometown Newspapers Inc.": (OwnerCategory.PUBLIC_COMPANY, "US"),
    "Valley Press Cooperative": (OwnerCategory.NONPROFIT, "US"),
}


# --- Outlets --------------------------------------------------------------------


@dataclass(frozen=True)
class OutletSpec:
    name: str
    domain: str
    bias: int | None
    factuality: int | None
    owner: str | None
    country: str = "US"
    description: str = ""
    place: str = ""  # the town of a local paper, for local-angle headlines
    rated_days_ago: int = 90

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def feed_url(self) -> str:
        return f"https://{self.domain}/feeds/latest.xml"

    @property
    def bucket(self) -> str:
        return Bias.bucket_of(self.bias) or "unrated"


B, F = Bias, Factuality
NAMED_OUTLETS = [
    OutletSpec("Capital Wire Service", "capitalwire.example", B.CENTER, F.VERY_HIGH,
               "Harbor Ledger Trust", description="The wire service of the Harbor Ledger's trust."),
    OutletSpec("The Harbor Ledger", "harborledger.example", B.CENTER, F.VERY_HIGH,
               "Harbor Ledger Trust", description="A coastal daily run by a charitable trust."),
    OutletSpec("The Morning Tidewater", "tidewater.example", B.LEAN_LEFT, F.VERY_HIGH,
               "Meridian Media Group", description="A morning paper with a national desk."),
    OutletSpec("Northgate Public Radio", "northgateradio.example", B.LEAN_LEFT, F.VERY_HIGH,
               "Northgate Broadcasting Authority", country="CA",
               description="A publicly funded radio network and news site."),
    OutletSpec("Coastline Telegraph", "coastlinetelegraph.example", B.LEAN_LEFT, F.HIGH,
               "Brightline Telecom", description="A regional daily bought by a telecom group."),
    OutletSpec("The Civic Lantern", "civiclantern.example", B.LEFT, F.HIGH, "Open Field Media",
               description="Policy reporting and commentary from a progressive newsroom."),
    OutletSpec("The Open Field", "openfield.example", B.LEFT, F.MIXED, "Open Field Media",
               description="An independent site for opinion and long reads."),
    OutletSpec("Redcedar Review", "redcedarreview.example", B.FAR_LEFT, F.MIXED,
               "Redcedar Workers' Cooperative", description="A magazine owned by its staff."),
    OutletSpec("The Commons Almanac", "commonsalmanac.example", B.FAR_LEFT, F.LOW,
               "Redcedar Workers' Cooperative", description="Activist news and commentary."),
    OutletSpec("Riverbend Gazette", "riverbendgazette.example", B.CENTER, F.HIGH,
               "Keystone Local News", description="A mid-sized city daily."),
    OutletSpec("Streetlight Metro", "streetlightmetro.example", B.CENTER, F.MIXED,
               "Brightline Telecom", description="Fast city news, heavy on video."),
    OutletSpec("Signal & Noise", "signalnoise.example", B.CENTER, F.HIGH,
               "Crestline Communications plc", country="GB",
               description="Data journalism and explainers."),
    OutletSpec("Prairie Dispatch", "prairiedispatch.example", B.LEAN_RIGHT, F.HIGH,
               "Meridian Media Group", description="A farm-state daily with a statehouse bureau."),
    OutletSpec("Summit Chronicle", "summitchronicle.example", B.LEAN_RIGHT, F.HIGH,
               "Keystone Local News", description="A mountain-region daily."),
    OutletSpec("The Granite Standard", "granitestandard.example", B.RIGHT, F.MIXED,
               "Ashford Family Holdings", description="A conservative weekly turned daily site."),
    OutletSpec("Marble Hall Observer", "marblehallobserver.example", B.RIGHT, F.HIGH,
               "Crestline Communications plc", description="Politics and policy from the capital."),
    OutletSpec("Ironclad Daily", "ironcladdaily.example", B.FAR_RIGHT, F.LOW,
               "Ashford Family Holdings", description="Populist news and talk."),
    OutletSpec("Frontier Rampart", "frontierrampart.example", B.FAR_RIGHT, F.VERY_LOW,
               "Ashford Family Holdings", description="A commentary-led site."),
    OutletSpec("Hearthstone Weekly", "hearthstoneweekly.example", None, None,
               "Hearthstone Press", country="CA",
               description="A new community weekly, not rated yet."),
    OutletSpec("Global Meridian Report", "globalmeridian.example", None, F.HIGH,
               "Meridian Media Group", country="GB",
               description="An international desk; bias review in progress."),
]  # fmt: skip

TOWNS = [
    "Valley", "North Shore", "Ambervale", "Brackenford", "Cedar Hollow", "Dunmere",
    "Elmsworth", "Foxhollow", "Glenharrow", "Hazelby", "Juniper Flats", "Kestrel Bay",
    "Lakeside", "Millbrook Falls", "Norrow", "Oakhaven", "Pinecrest", "Quarry Hill",
    "Rushmere", "Stonebridge",
]  # fmt: skip
MASTHEADS = [
    "Courier", "Post", "Herald", "Sentinel", "Record", "Tribune",
    "Journal", "Observer", "Gazette", "Times", "Examiner", "Bulletin",
]  # fmt: skip
# The 40 local papers lean this way; with the named outlets they give the reference
# story 24 Center of 58 rated sources (41%), 20 Left and 14 Right.
LOCAL_BIASES = (
    [B.CENTER] * 19
    + [B.LEAN_LEFT] * 7 + [B.LEFT] * 4 + [B.FAR_LEFT] * 2
    + [B.LEAN_RIGHT] * 5 + [B.RIGHT] * 2 + [B.FAR_RIGHT] * 1
)  # fmt: skip
LOCAL_FACTUALITY = [F.HIGH, F.MIXED, F.HIGH, F.VERY_HIGH, F.MIXED, F.LOW, F.HIGH, None]
LOCAL_OWNERS = [
    "Keystone Local News", "Hometown Newspapers Inc.", None,
    "Valley Press Cooperative", "Keystone Local News", "Hometown Newspapers Inc.",
]  # fmt: skip


# --- Stories --------------------------------------------------------------------


@dataclass(frozen=True)
class StoryContent:
    """What editors and outlets wrote about one event; headlines vary by outlet lean."""

    title: str
    section: str
    key_points: tuple[str, ...]
    headlines: dict[str, tuple[str, ...]]  # bucket ("left"/"center"/"right") -> templates
    follow_ups: tuple[str, ...]  # an outlet's second and later articles
    summaries: tuple[str, ...]
    local: tuple[str, ...] = ()  # templates with {place}, for local papers
    # How many outlets of each bucket cover it; None means every outlet there is.
    sources: dict[str, int] | None = None
    extra_articles: int = 0  # second articles from some of those outlets
    first_hours_ago: float = 24
    span_hours: float = 20

    @property
    def slug(self) -> str:
        return slugify(self.title)[:180]


REFERENCE = StoryContent(
    title="Senate passes power grid overhaul after all-night session",
    section="politics",
    key_points=(
        "The Senate approved the Grid Reliability and Transmission Act 61–38 early Friday, "
        "sending it to the House, where leaders expect a vote within weeks.",
        "The bill sets aside $140 billion over ten years for long-distance transmission "
        "lines, storm-hardened substations and grid-scale batteries.",
        "A new federal permitting office would have two years to approve or reject an "
        "interstate line; such reviews now often take more than a decade.",
        "Supporters point to last winter's rolling blackouts as proof the grid is overdue "
        "for an upgrade; opponents warn of higher bills and less say for states over routes.",
        "Utilities would have to publish outage and restoration figures every quarter, and "
        "a state that objects to a route could appeal to a new review board.",
    ),
    headlines={
        "center": (
            "Senate passes power grid overhaul, 61–38",
            "Grid bill clears Senate after overnight session",
            "Senate approves $140 billion plan to upgrade the power grid",
            "Transmission bill heads to the House after Senate vote",
            "Senate backs faster permits for interstate power lines",
            "What the Senate's grid bill would change for your electricity",
        ),
        "left": (
            "Senate clears landmark grid bill in a boost for clean power",
            "After years of blackouts, Senate moves to fix the grid",
            "Grid bill passes Senate; climate groups call it long overdue",
            "Senate vote opens the way for thousands of miles of new power lines",
        ),
        "right": (
            "Senate passes $140 billion grid bill as critics warn of higher power bills",
            "States lose say over power lines under Senate-passed bill",
            "Grid overhaul clears Senate despite cost concerns",
            "New federal permitting office at the heart of the Senate grid fight",
        ),
    },
    follow_ups=(
        "Grid bill: what is in it and what happens next",
        "Live: senators debate the grid bill through the night",
        "Analysis: the permitting office may be the grid bill's biggest change",
        "How each senator voted on the grid bill",
        "Utilities react to the Senate's grid vote",
        "Opinion: the grid bill is now a test for the House",
        "Explainer: why a power line can take ten years to approve",
        "Grid bill's quarterly outage reports: what utilities would have to disclose",
    ),
    summaries=(
        "The measure now goes to the House. It pairs ten years of transmission funding with "
        "a federal office meant to shorten reviews of lines that cross state borders.",
        "Senators voted shortly before dawn after a night of amendments, most of them on "
        "how much say states keep over where new lines are built.",
        "Backers say the money would prevent repeats of last winter's blackouts; critics "
        "say ratepayers will end up covering much of the cost.",
        "Besides new lines, the bill pays for substations built to survive floods and for "
        "batteries that store power for evening peaks.",
    ),
    local=(
        "What the Senate grid bill could mean for {place}",
        "{place} utility says grid bill could speed its substation upgrade",
        "Grid bill would fund line planned near {place}",
    ),
    first_hours_ago=30,
    span_hours=29,
)

STORIES = [
    REFERENCE,
    StoryContent(
        title="Dockworkers ratify contract ending three-week port strike",
        section="economy",
        key_points=(
            "Members of the dockworkers' union voted 78% in favour of a six-year contract, "
            "ending a strike that idled twelve container terminals.",
            "The deal raises wages 24% over six years and lets terminals add automated "
            "cranes only where no current job is lost.",
            "Shipping lines expect the backlog of more than 90 anchored vessels to clear "
            "within about five weeks.",
            "Retail groups say the strike delayed seasonal stock; some importers rerouted "
            "cargo through ports in neighbouring countries.",
        ),
        headlines={
            "center": (
                "Dockworkers approve contract, ending port strike",
                "Port strike ends as union ratifies six-year deal",
                "Container terminals reopen after dockworkers back new contract",
            ),
            "left": (
                "Dockworkers win 24% raise and limits on automation",
                "Union holds the line on automation as port strike ends",
            ),
            "right": (
                "Port strike ends, but importers count the cost",
                "Automation limits in port deal worry shippers",
            ),
        },
        follow_ups=(
            "How long until the port backlog clears?",
            "What the port deal says about cranes and jobs",
        ),
        summaries=(
            "Terminals began calling crews back within hours of the vote. The contract runs "
            "for six years and caps how fast automated equipment can be introduced.",
            "Importers say it will take weeks for the backlog to clear and for freight rates "
            "to fall back to where they were before the walkout.",
        ),
        local=("Shops in {place} brace for late deliveries after port strike",),
        sources={"left": 9, "center": 11, "right": 8, "unrated": 1},
        extra_articles=1,
        first_hours_ago=46,
        span_hours=20,
    ),
    StoryContent(
        title="Central bank holds rates steady and signals cuts later this year",
        section="economy",
        key_points=(
            "The central bank kept its benchmark rate at 4.75% for a fourth meeting in a row.",
            "Policymakers' median projection now shows two quarter-point cuts before the end "
            "of the year, one fewer than in the spring.",
            "The bank said inflation has slowed to 2.6% but rent and services prices are "
            "still rising faster than it would like.",
            "Mortgage rates edged down after the announcement; markets had priced in the hold.",
        ),
        headlines={
            "center": (
                "Central bank holds rates, pencils in two cuts this year",
                "Rates unchanged at 4.75% as inflation cools",
                "Central bank keeps rates on hold for fourth straight meeting",
            ),
            "left": (
                "Central bank holds rates as renters keep paying more",
                "No relief yet for borrowers as rates stay high",
            ),
            "right": (
                "Central bank stays cautious as inflation lingers",
                "Savers win, borrowers wait: rates left unchanged",
            ),
        },
        follow_ups=("What the rate decision means for mortgages and savings",),
        summaries=(
            "The decision was widely expected. Officials said they want more evidence that "
            "services inflation is easing before lowering borrowing costs.",
            "Two cuts are now projected for the second half of the year, though officials "
            "stressed the path depends on the next few months of data.",
        ),
        sources={"left": 7, "center": 10, "right": 6},
        extra_articles=2,
        first_hours_ago=40,
        span_hours=10,
    ),
    StoryContent(
        title="Deep-sea survey finds healthy coral reef below the bleaching zone",
        section="science",
        key_points=(
            "Researchers mapped a 14-kilometre reef at depths of 60 to 110 metres, below the "
            "warm surface water that has bleached shallower corals.",
            "More than 80% of the deep reef's coral was alive and unbleached during the "
            "survey, carried out with remotely operated vehicles.",
            "The team says deep reefs may act as a refuge from which shallow reefs could "
            "recover, but cautions that this is not yet proven.",
        ),
        headlines={
            "center": (
                "Scientists find healthy deep coral reef below bleached waters",
                "Deep reef survives where shallow corals bleached",
                "Robot survey maps 14-kilometre reef in the ocean's twilight zone",
            ),
            "left": (
                "A rare bit of good news for reefs, found 100 metres down",
                "Deep reef discovery is no excuse to slow climate action, scientists say",
            ),
            "right": ("Researchers map thriving reef far below the surface",),
        },
        follow_ups=("Why deep reefs could help shallow ones recover",),
        summaries=(
            "The reef lies below the layer of water that warmed most during last year's "
            "marine heatwave. Samples will show whether its corals can seed shallower areas.",
            "The survey used remotely operated vehicles to film and sample corals too deep "
            "for ordinary scuba diving.",
        ),
        sources={"left": 6, "center": 8, "right": 4},
        extra_articles=1,
        first_hours_ago=20,
        span_hours=14,
    ),
    # A Blindspot for the left: almost only the right and centre cover it.
    StoryContent(
        title="Audit finds housing grants paid to 1,200 ineligible landlords",
        section="politics",
        key_points=(
            "An inspector-general audit found $38 million in rental-repair grants went to "
            "landlords who did not meet the program's income or vacancy rules.",
            "Most of the payments were approved during the program's first six months, "
            "when applications were checked by sample rather than one by one.",
            "The housing department says it has recovered $9 million and now verifies "
            "every application against tax and property records.",
            "Lawmakers from both parties have asked for a hearing on the findings.",
        ),
        headlines={
            "center": (
                "Audit: $38 million in housing grants went to ineligible landlords",
                "Inspector general faults checks in rental-repair grant program",
            ),
            "left": ("Housing department tightens grant checks after audit",),
            "right": (
                "Watchdog finds $38 million in housing grants misspent",
                "Taxpayers on the hook as grants flow to ineligible landlords",
                "Lax checks let 1,200 landlords collect grants, audit says",
            ),
        },
        follow_ups=("Who got the grants? What the audit found",),
        summaries=(
            "The audit sampled 4,000 grants and extrapolated the error rate to the whole "
            "program. The department disputes some of the estimates.",
            "Officials say the early shortcuts were meant to get repair money out quickly "
            "after last year's storms.",
        ),
        sources={"left": 1, "center": 5, "right": 9},
        extra_articles=1,
        first_hours_ago=14,
        span_hours=10,
    ),
    # A Blindspot for the right: almost only the left and centre cover it.
    StoryContent(
        title="Study links city tree cover to fewer deaths during heat waves",
        section="science",
        key_points=(
            "Across 93 cities, neighbourhoods with at least 30% tree canopy recorded about a "
            "third fewer heat-related deaths than those with little shade.",
            "The effect was largest for people over 75 and in districts with older housing.",
            "The authors estimate that planting to reach 30% canopy would cost less per life "
            "saved than most other heat measures, though trees take years to grow.",
        ),
        headlines={
            "center": (
                "More trees, fewer heat deaths, study of 93 cities finds",
                "Shade matters: tree cover linked to lower heat mortality",
            ),
            "left": (
                "Study shows shade saves lives as heat waves worsen",
                "Poorer neighbourhoods lack the trees that cut heat deaths",
                "Cities urged to plant now after tree cover study",
            ),
            "right": ("Study ties tree cover to heat survival",),
        },
        follow_ups=("Does your street have enough trees? How the study measured it",),
        summaries=(
            "The researchers matched satellite canopy maps with death records from the past "
            "decade of summers, adjusting for income and age.",
            "The gap between shady and bare districts was largest on the hottest days.",
        ),
        local=("How much shade does {place} have?",),
        sources={"left": 8, "center": 5, "right": 1},
        first_hours_ago=9,
        span_hours=8,
    ),
    StoryContent(
        title="State supreme court hears challenge to redrawn voting districts",
        section="politics",
        key_points=(
            "The court heard three hours of arguments over the legislature's new map of "
            "congressional districts.",
            "Challengers say the map splits two cities to dilute their voters; the state "
            "says the lines follow county borders and population changes.",
            "A ruling is expected before candidate filing opens in eight weeks.",
        ),
        headlines={
            "center": (
                "State supreme court weighs new congressional map",
                "Justices press both sides in redistricting case",
            ),
            "left": ("Voters ask court to throw out map that splits their cities",),
            "right": ("State defends new district lines before supreme court",),
        },
        follow_ups=("Redistricting case: what the justices asked",),
        summaries=(
            "The court did not say when it would rule, but both sides asked for a decision "
            "before candidates begin filing.",
        ),
        sources={"left": 4, "center": 4, "right": 3},
        extra_articles=1,
        first_hours_ago=6,
        span_hours=5,
    ),
    StoryContent(
        title="Once-a-year malaria shot protects most children in trial",
        section="health",
        key_points=(
            "In a trial with 3,100 children, a single yearly injection prevented 77% of "
            "malaria cases over twelve months.",
            "Side effects were mostly mild fever and soreness; no serious safety concerns "
            "were reported.",
            "Regulators will review the data next year; the makers say they can produce 40 "
            "million doses a year if it is approved.",
        ),
        headlines={
            "center": (
                "Yearly malaria shot prevents 77% of cases in children",
                "Single annual injection shows strong malaria protection",
            ),
            "left": ("Malaria shot trial raises hopes for millions of children",),
            "right": ("New malaria injection clears large trial",),
        },
        follow_ups=("How the yearly malaria shot differs from existing vaccines",),
        summaries=(
            "The long-acting antibody injection was tested in three countries during the "
            "rainy season, when infections peak.",
        ),
        sources={"left": 2, "center": 4, "right": 2},
        extra_articles=1,
        first_hours_ago=3,
        span_hours=2.5,
    ),
]


# Articles no story holds yet: fresh arrivals waiting for an editor. Each topic is
# covered by several outlets, so an editor can build a story from them.
INBOX_TOPICS = [
    (
        "weather",
        (
            "Forecasters warn of an early start to wildfire season",
            "Dry spring raises wildfire risk across the west",
            "Fire crews hire early as outlook turns grim",
            "Wildfire outlook: what a dry winter means for summer",
        ),
        "Snowpack ended the winter at about half its usual depth, and seasonal forecasts "
        "call for a hotter, drier June than normal.",
    ),
    (
        "health",
        (
            "Measles cases rise in three states",
            "Health officials urge vaccine checks as measles spreads",
            "Measles outbreak grows to 41 cases",
            "Schools send measles notices after new cases",
        ),
        "Most of the new cases are in children who had not been vaccinated; clinics are "
        "offering extra walk-in hours.",
    ),
    (
        "politics",
        (
            "Minimum wage measure qualifies for November ballot",
            "Voters will decide on a $17 minimum wage",
            "Wage ballot measure clears signature count",
            "Business groups plan campaign against wage measure",
        ),
        "Organisers submitted about 40,000 more valid signatures than required; the measure "
        "would raise the wage in three steps.",
    ),
    (
        "local",
        (
            "Highway bridge closed after inspectors find cracks",
            "Bridge closure adds detours for thousands of commuters",
            "Engineers assess cracked bridge beams",
            "How long will the bridge be closed? Officials are not sure yet",
        ),
        "Inspectors found cracks in two steel beams during a routine check; the state says "
        "repairs could take several months.",
    ),
    (
        "technology",
        (
            "Rural schools to get satellite internet under new grant",
            "Grant brings fast internet to 300 rural schools",
            "Satellite internet plan for schools draws praise and doubts",
            "Rural districts sign up for school internet program",
        ),
        "The two-year grant pays for equipment and service; districts must report how "
        "often the connections drop.",
    ),
    (
        "science",
        (
            "Amateur astronomers spot a new comet",
            "Newly found comet could be visible to the naked eye in autumn",
            "Backyard telescope finds comet heading for the inner solar system",
            "Comet discovery confirmed by observatory",
        ),
        "Two amateur observers reported the faint object within hours of each other; its "
        "brightness in autumn is still uncertain.",
    ),
]
INBOX_PER_TOPIC = 6

FIRST_NAMES = ["Ana", "Ben", "Chidi", "Dana", "Elif", "Farah", "Gus", "Hana", "Ivo", "Jae",
               "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Rosa", "Sam", "Tomas",
               "Yara"]  # fmt: skip
LAST_NAMES = ["Abbott", "Brandt", "Castillo", "Dube", "Ekström", "Fischer", "Gallo", "Haddad",
              "Ito", "Jensen", "Kowalski", "Lindqvist", "Mensah", "Novak", "Okafor", "Petrov",
              "Quinn", "Reyes", "Sato", "Varga"]  # fmt: skip


# --- Accounts ---------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSpec:
    username: str
    password: str
    role: str
    editor: bool = False
    premium: bool = False


# Printed by the command; they are set only when the account is created.
ACCOUNTS = [
    AccountSpec("editor", "editor-demo-pass", "editor: staff, Editors group", editor=True),  # noqa: S106
    AccountSpec("premium", "premium-demo-pass", "premium reader", premium=True),  # noqa: S106
    AccountSpec("reader", "reader-demo-pass", "free reader"),  # noqa: S106
]
