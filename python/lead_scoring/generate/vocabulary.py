"""The generator's vocabulary: reference lists, their weights, mess shares and constants."""

from __future__ import annotations

STAGES = ("prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost")
EVENT_TYPES = (
    "email_open",
    "email_click",
    "page_view",
    "form_submit",
    "content_download",
    "webinar_attended",
    "demo_request",
    "trial_signup",
    "email_unsubscribe",
    "email_bounce",
    "sales_call",
    "sales_email",
    "meeting_booked",
    "product_login",
    "feature_used",
    "seat_invited",
    "trial_started",
    "trial_converted",
)
UNKNOWN_EVENT_TYPES = ("chat_started", "video_played", "ad_impression", "social_share", "page_scroll")
LEAD_SOURCES = (
    "web",
    "webinar",
    "referral",
    "paid_search",
    "event",
    "partner",
    "outbound",
    "content_syndication",
)
FREE_MAIL_DOMAINS = (
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "aol.com",
    "icloud.com",
    "protonmail.com",
    "gmx.de",
    "web.de",
    "yahoo.co.uk",
    "live.com",
    "mail.com",
)
COMPETITOR_DOMAINS = ("rivalscore.com", "leadgenius.io", "pipelinepilot.ai")
SITE = "example-vendor.com"
TARGET_INDUSTRIES = ("Software", "Information Technology", "Financial Services")
# Sales follow-up of the leads with a burst of intent: the share touched at all and the median
# delay of the first touch, for the leads that convert (faster: speed to lead) and the others.
TOUCHED_SHARE_CONVERTERS = 0.95
TOUCHED_SHARE_OTHERS = 0.7
FIRST_TOUCH_MEDIAN_HOURS_CONVERTERS = 4.0
FIRST_TOUCH_MEDIAN_HOURS_OTHERS = 36.0

# Approximate share of each planted mess class (of the rows of the file named first).
MESS = {
    "leads: blank lead_id": 0.004,
    "leads: unparseable created_at": 0.003,
    "leads: unparseable updated_at": 0.003,
    "leads: malformed or blank email": 0.008,
    "leads: e-mail with mixed case": 0.05,
    "leads: e-mail with surrounding spaces": 0.03,
    "leads: free-mail domain": 0.25,
    "leads: competitor domain": 0.01,
    "leads: blank job_title": 0.06,
    "leads: blank industry": 0.05,
    "leads: blank employee_count": 0.06,
    "leads: junk employee_count": 0.006,
    "leads: employee_count with thousands separator (of counts >= 1000)": 0.18,
    "leads: employee_count padded with spaces": 0.04,
    "leads: blank annual_revenue": 0.12,
    "leads: junk annual_revenue": 0.006,
    "leads: blank country": 0.04,
    "leads: lead_source case variant": 0.03,
    "leads: lead with 2-3 versions": 0.10,
    "events: exact duplicate row (re-delivery)": 0.02,
    "events: blank event_id": 0.003,
    "events: orphan lead_id": 0.005,
    "events: unknown event_type": 0.005,
    "events: known event_type with odd case/whitespace": 0.008,
    "events: unparseable occurred_at": 0.001,
    "events: future-dated occurred_at": 0.001,
    "events: page_view without duration": 0.03,
    "events: negative duration_seconds (page_view/webinar)": 0.002,
    "events: junk duration_seconds (page_view/webinar)": 0.001,
    "opportunities: unknown lead_id": 0.01,
    "opportunities: junk amount": 0.02,
}

DEFAULT_EVENTS_PER_LEAD = 35.0
# Share of leads in the product-led segment (a trial workspace, product usage events).
DEFAULT_PRODUCT_LED_SHARE = 0.3
DEFAULT_SEED = 42
# Events are generated and sorted in chunks of about this many rows (bounded memory, several parquet files).
EVENTS_PER_CHUNK = 4_000_000

SPILL_DIR = ".duckdb_spill"
OWNED_ENTRIES = {
    "leads.csv",
    "events.csv",
    "opportunities.csv",
    "leads",
    "events",
    "opportunities",
}

# ---------------------------------------------------------------------------------------------------
# Reference lists: (value, weight, ...)

# (title, weight, seniority 0..1, job_seeker, freelance)
TITLES: tuple[tuple[str | None, float, float, bool, bool], ...] = (
    (None, 6, 0.35, False, False),
    ("CEO", 2, 1.0, False, False),
    ("Chief Technology Officer", 1, 1.0, False, False),
    ("CTO", 1.5, 1.0, False, False),
    ("Chief Marketing Officer", 1, 1.0, False, False),
    ("CMO", 0.8, 1.0, False, False),
    ("CFO", 0.8, 0.95, False, False),
    ("Founder", 1.5, 0.95, False, False),
    ("Co-Founder & CEO", 1, 1.0, False, False),
    ("Owner", 1, 0.8, False, False),
    ("VP Sales", 2.5, 0.9, False, False),
    ("vice-president of marketing", 1, 0.9, False, False),
    ("Vice President, Engineering", 1.5, 0.9, False, False),
    ("VP of Marketing", 2, 0.9, False, False),
    ("SVP Operations", 0.8, 0.9, False, False),
    ("VP, Revenue Operations", 1, 0.9, False, False),
    ("Dir. of IT", 1.5, 0.75, False, False),
    ("Director of Operations", 2, 0.75, False, False),
    ("Director, Marketing", 2, 0.75, False, False),
    ("Head of Growth", 1.5, 0.75, False, False),
    ("Head of Sales", 1.5, 0.75, False, False),
    ("IT Director", 1.5, 0.75, False, False),
    ("Director of Data Science", 1, 0.75, False, False),
    ("Manager, Marketing", 3, 0.55, False, False),
    ("Marketing Manager", 5, 0.55, False, False),
    ("Sales Manager", 4, 0.55, False, False),
    ("Engineering Manager", 3, 0.55, False, False),
    ("Product Manager", 4, 0.5, False, False),
    ("IT Manager", 3, 0.55, False, False),
    ("Ops Manager", 2, 0.5, False, False),
    ("Sr. Software Engineer", 4, 0.35, False, False),
    ("Senior Data Analyst", 2, 0.35, False, False),
    ("Software Engineer", 6, 0.25, False, False),
    ("Data Scientist", 3, 0.3, False, False),
    ("Marketing Specialist", 3, 0.25, False, False),
    ("Account Executive", 3, 0.3, False, False),
    ("SDR", 2, 0.15, False, False),
    ("Analyst", 4, 0.2, False, False),
    ("Business Analyst", 3, 0.2, False, False),
    ("Consultant", 3, 0.2, False, True),
    ("Independent Consultant", 1.5, 0.15, False, True),
    ("Freelancer", 1, 0.1, False, True),
    ("Coordinator", 2, 0.15, False, False),
    ("Student", 3, 0.0, True, False),
    ("Intern", 2, 0.0, True, False),
    ("Marketing Intern", 1, 0.0, True, False),
    ("Research Assistant", 1, 0.05, True, False),
    ("Retired", 0.5, 0.0, True, False),
)

# (canonical industry, weight, spelling variants; the first one is the most common)
INDUSTRIES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("Software", 16, ("Software", "software ", "SaaS", "SOFTWARE", "Computer Software")),
    ("Information Technology", 10, ("Information Technology", "IT Services", "information technology", "IT")),
    ("Financial Services", 10, ("Financial Services", "Finance", "Banking", "financial services", "Fintech")),
    ("Healthcare", 9, ("Healthcare", "Health Care", "healthcare", "Hospital & Health Care")),
    ("Retail", 8, ("Retail", "retail", "E-commerce", "Retail & Consumer Goods")),
    ("Manufacturing", 10, ("Manufacturing", "manufacturing ", "Industrial Manufacturing")),
    ("Education", 7, ("Education", "Higher Education", "education", "E-Learning")),
    ("Government", 4, ("Government", "Public Sector", "government administration")),
    ("Consulting", 7, ("Consulting", "Management Consulting", "consulting", "Professional Services")),
    ("Media", 5, ("Media", "Marketing & Advertising", "Media & Entertainment")),
    ("Logistics", 5, ("Logistics", "Transportation", "Logistics & Supply Chain")),
    ("Telecommunications", 4, ("Telecommunications", "Telecom")),
    ("Energy", 3, ("Energy", "Oil & Energy", "Utilities")),
    ("Non-profit", 2, ("Non-profit", "Nonprofit", "NGO")),
)

# (ISO code, weight, top-level domain, spelling variants)
COUNTRIES: tuple[tuple[str, float, str, tuple[str, ...]], ...] = (
    ("US", 42, ".com", ("US", "USA", "United States", "united states ", "U.S.", "United States of America")),
    ("GB", 10, ".co.uk", ("UK", "United Kingdom", "GB", "Great Britain", "united kingdom")),
    ("DE", 9, ".de", ("DE", "Germany", "Deutschland", "germany")),
    ("FR", 5, ".fr", ("FR", "France", "france")),
    ("IN", 8, ".in", ("IN", "India", "india ")),
    ("CA", 5, ".ca", ("CA", "Canada")),
    ("NL", 3, ".nl", ("NL", "Netherlands", "The Netherlands")),
    ("AU", 4, ".com.au", ("AU", "Australia")),
    ("BR", 3, ".com.br", ("BR", "Brazil", "Brasil")),
    ("ES", 3, ".es", ("ES", "Spain")),
    ("JP", 2, ".co.jp", ("JP", "Japan")),
    ("SE", 2, ".se", ("SE", "Sweden")),
    ("SG", 2, ".sg", ("SG", "Singapore")),
    ("IE", 2, ".ie", ("IE", "Ireland")),
)

FIRST_NAMES = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Daniel", "Karen",
    "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Emily", "Paul", "Laura", "Steven", "Anna", "Andrew",
    "Julia", "Priya", "Rahul", "Aarav", "Ananya", "Wei", "Mei", "Hiroshi", "Yuki", "Lukas", "Hannah",
    "Felix", "Lena", "Max", "Sophie", "Pierre", "Camille", "Lucas", "Chloé", "José", "María", "Zoë",
    "François", "Søren", "Björn", "Olivia", "Noah", "Emma", "Liam", "Ava", "Ethan", "Mia", "Omar",
    "Fatima", "Chen", "Ingrid", "Lars", "Sean", "Aoife",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Patel", "Kumar", "Sharma",
    "Singh", "Chen", "Wang", "Li", "Zhang", "Tanaka", "Sato", "Müller", "Schmidt", "Schneider", "Fischer",
    "Weber", "Dubois", "Martin", "Bernard", "Rossi", "Silva", "Santos", "García", "López", "O'Brien",
    "O'Connor", "van der Berg", "de Vries", "Jansen", "Nguyen", "Kim", "Park", "Andersson", "Johansson",
    "Murphy", "Kelly", "Novak", "Kowalski",
)  # fmt: skip
COMPANY_WORDS_1 = (
    "Apex", "Blue", "Bright", "Cedar", "Clear", "Cloud", "Core", "Crest", "Delta", "Echo", "Ever", "Falcon",
    "First", "Granite", "Green", "Harbor", "Iron", "Keystone", "Lumen", "Maple", "Meridian", "Nimbus",
    "North", "Nova", "Oak", "Orbit", "Peak", "Pine", "Pioneer", "Prime", "Quantum", "Red", "River", "Rock",
    "Sage", "Silver", "Sky", "Spark", "Star", "Stone", "Summit", "Sun", "Swift", "Terra", "True", "Union",
    "Vector", "Vertex", "Vista", "West", "Zen", "Atlas", "Beacon", "Bold", "Coastal", "Copper", "Elm",
    "Fusion", "Golden", "Horizon", "Indigo", "Juniper", "Kite", "Lake", "Mosaic", "Nexus", "Onyx", "Polar",
    "Radiant", "Sable", "Tidal", "Ultra", "Verde", "Willow", "Xenon", "Yield", "Zephyr", "Acme", "Globex",
    "Initech",
)  # fmt: skip
COMPANY_WORDS_2 = (
    "Analytics", "Systems", "Labs", "Software", "Logistics", "Health", "Capital", "Foods", "Robotics",
    "Energy", "Media", "Networks", "Works", "Dynamics", "Solutions", "Partners", "Retail", "Bank",
    "Learning", "Manufacturing", "Data", "Cloud", "Security", "Motors", "Pharma", "Consulting", "Studios",
    "Ventures", "Tech", "Insights", "Markets", "Finance", "Foundry", "Digital", "Logic", "Bio", "Freight",
    "Textiles", "Apparel", "Supply", "Metrics", "Devices", "Materials", "Telecom", "Insurance", "Payments",
    "Brands", "Mobility",
)  # fmt: skip
# Industry suggested by the second word of a company name (used for most, not all, companies).
NAME_INDUSTRY = {
    **dict.fromkeys(("Analytics", "Labs", "Software", "Data", "Cloud", "Logic", "Metrics"), "Software"),
    **dict.fromkeys(("Systems", "Solutions", "Security", "Tech"), "Information Technology"),
    **dict.fromkeys(("Capital", "Bank", "Markets", "Finance", "Insurance", "Payments"), "Financial Services"),
    **dict.fromkeys(("Health", "Pharma", "Bio"), "Healthcare"),
    **dict.fromkeys(("Foods", "Retail", "Apparel", "Brands"), "Retail"),
    **dict.fromkeys(
        ("Robotics", "Works", "Manufacturing", "Motors", "Foundry", "Textiles", "Devices", "Materials"),
        "Manufacturing",
    ),
    **dict.fromkeys(("Logistics", "Freight", "Supply", "Mobility"), "Logistics"),
    **dict.fromkeys(("Media", "Studios", "Digital"), "Media"),
    **dict.fromkeys(("Partners", "Consulting", "Insights"), "Consulting"),
    **dict.fromkeys(("Networks", "Telecom"), "Telecommunications"),
    "Learning": "Education",
    "Energy": "Energy",
}
COMPANY_WORDS_3 = (
    "Group", "Holdings", "International", "Global", "Industries", "Worldwide", "America", "Europe",
    "Collective", "Enterprises", "Technologies", "Services", "Company", "Associates", "Alliance", "Direct",
    "Hub", "One", "Plus", "Pro", "Works", "Co", "Labs", "Network", "Source", "Point", "Bridge", "Line",
    "Path", "Gate",
)  # fmt: skip
BLOG_SLUGS = (
    "lead-scoring-101", "what-is-an-mql", "b2b-funnel-benchmarks-2026", "intent-data-explained",
    "sales-marketing-alignment", "pipeline-velocity", "abm-playbook", "churn-signals", "product-led-growth",
    "webinar-recap-q1", "release-notes-march", "customer-story-northwind",
)  # fmt: skip
DOCS_SLUGS = (
    "getting-started", "api/authentication", "api/rate-limits", "integrations/salesforce",
    "integrations/hubspot", "sso-setup", "data-retention", "faq",
)  # fmt: skip
RESOURCE_SLUGS = (
    "ebook-state-of-b2b-marketing", "whitepaper-scoring-models", "roi-calculator", "buyers-guide",
    "checklist-data-quality", "analyst-report-2026",
)  # fmt: skip
CASE_STUDY_SLUGS = ("northwind", "contoso", "fabrikam", "globex", "initech", "umbrella")
WEBINAR_SLUGS = (
    "scoring-masterclass",
    "pipeline-review-live",
    "product-tour",
    "ask-me-anything",
    "roadmap-2026",
)
QUERY_STRINGS = (
    "utm_source=newsletter&utm_medium=email&utm_campaign=spring_launch",
    "utm_source=google&utm_medium=cpc&utm_campaign=brand",
    "utm_source=linkedin&utm_medium=social&utm_campaign=retargeting",
    "ref=g2",
    "gclid=Cj0KCQiA4example",
    "utm_source=partner&utm_medium=referral",
)
TZ_OFFSETS = (("+02:00", 120), ("+01:00", 60), ("-05:00", -300), ("-04:00", -240), ("+05:30", 330),
              ("-08:00", -480), ("+09:00", 540), ("+00:00", 0))  # fmt: skip
JUNK_TIMESTAMPS = (
    "31/02/{year}",
    "yesterday",
    "not a date",
    "{year}-13-45T25:61:00Z",
    "0000-00-00 00:00:00",
    "N/A",
)
JUNK_EMPLOYEES = ("n/a", "-5", "unknown", "10-50", "TBD")
JUNK_REVENUE = ("unknown", "$5M", "-1", "n/a", "TBD")
JUNK_AMOUNTS = ("n/a", "TBD", "-5000", "12k", "$15,000", "USD 20000")
JUNK_DURATIONS = ("NaN", "12.5s", "abc", "n/a", "??")

# -- product usage (the product-led segment) -------------------------------------------------------
# Product features, the path feature_used events carry in page_url: (path, weight a, weight b); a
# feature's weight is a + b * usage (usage in [0, 1]): the heavy users reach the key features
# (reports, integrations), the light ones stay with dashboards, import and help.
PRODUCT_FEATURES: tuple[tuple[str, float, float], ...] = (
    ("/app/reports", 0.12, 0.38),
    ("/app/integrations", 0.04, 0.30),
    ("/app/dashboards", 0.30, 0.0),
    ("/app/import", 0.20, -0.05),
    ("/app/settings", 0.20, -0.10),
    ("/app/help", 0.14, -0.08),
)
PRODUCT_HOST = "app.example-vendor.com"
# The trial window: product activity falls in this many days after the trial starts.
TRIAL_WINDOW_DAYS = 30
# Most active days a heavy user has in the window, and most teammates one invites.
MAX_ACTIVE_DAYS = 24
MAX_SEATS_INVITED = 3
