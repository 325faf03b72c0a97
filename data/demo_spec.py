"""What the demo region contains: authorities, grid layout, roads, towns, categories, teams.

Pure data, no database access; `data.demo` turns it into rows. All names are fictional and carry
"(Demo)"; all official codes use the Land code 99, which no real Land has. Coordinates are
metres in ETRS89 / UTM 32N (EPSG:25832) relative to ORIGIN, so distances read as metres.
"""

from __future__ import annotations

from dataclasses import dataclass

from boundaries.models import Level
from geo.models import AssetType, RoadClass

# `source` of every generated road and asset, so a re-run can tell its own rows.
DEMO_SOURCE = "Mängelmelder-Demoregion (fiktiv), data/demo.py"
REGION_NAME = "Landkreis Heideland (Demo)"

# Metres east/north of ORIGIN in EPSG:25832.
Coord = tuple[float, float]
# A grid cell (column, row); column 0 is west, row 0 is south.
Cell = tuple[int, int]

# South-west corner of the grid, ETRS89 / UTM 32N (about 9.928 E, 53.174 N).
ORIGIN_E = 562_000.0
ORIGIN_N = 5_892_000.0
CELL_WIDTH_M = 8_000.0
CELL_HEIGHT_M = 7_500.0
GRID_COLUMNS = 3
GRID_ROWS = 3
# Irregularity of the boundaries. Outer values are kept small so the Kreis stays inside
# 9.9-10.3 E / 53.15-53.40 N and every road stays at least ~500 m inside it.
OUTER_VERTEX_JITTER_M = 350.0
INNER_VERTEX_JITTER_M = 600.0
OUTER_EDGE_WAVE = 0.04  # perpendicular amplitude as a share of the edge length
INNER_EDGE_WAVE = 0.06
EDGE_PIECES = 6

STREETLIGHT_SPACING_M = 60.0
STREETLIGHT_OFFSET_M = 4.0
SIGN_SPACING_M = 1_500.0
SIGN_OFFSET_M = 6.0


@dataclass(frozen=True)
class AuthoritySpec:
    slug: str
    name: str
    level: str
    ags: str = ""
    ars: str = ""
    parent: str | None = None
    delegates_to: str | None = None
    handles_ortsdurchfahrten: bool = False
    cells: tuple[Cell, ...] = ()
    email: str = ""
    website: str = ""
    colour: str = "#00508c"
    # Portal identity (boundaries.identity) and the authority page (/stelle/…).
    portal_name: str = ""
    secondary_colour: str = ""
    logo_static: str = ""
    own_identity: bool = False
    phone: str = ""
    address: str = ""
    opening_hours: str = ""


@dataclass(frozen=True)
class StreetSpec:
    name: str
    points: tuple[Coord, ...]  # metres relative to the town centre
    lit: bool = False  # streetlights are generated along lit streets only


@dataclass(frozen=True)
class TownSpec:
    authority: str  # slug of the Gemeinde
    code: str  # prefix of the asset ids, e.g. "HS" → "HS-L-0001"
    label: str
    centre: Coord
    streets: tuple[StreetSpec, ...]
    playground: tuple[str, Coord]
    benches: tuple[Coord, ...]


@dataclass(frozen=True)
class RoadSpec:
    external_id: str
    road_class: str
    ref: str
    points: tuple[Coord, ...]
    ortsdurchfahrt: bool = False
    name: str = ""


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    name_en: str
    description: str
    sort_order: int
    level: str = Level.GEMEINDE
    snap_to_roads: bool = False
    road_classes: str = ""
    asset_type: str = ""
    snap_tolerance_m: float = 25.0
    duplicate_radius_m: float = 50.0


@dataclass(frozen=True)
class TeamSpec:
    authority: str
    name: str
    email: str
    categories: tuple[str, ...]


LAND = "demo-niedersachsen"
ROAD_OPERATOR = "demo-landesbehoerde-strassenbau-lueneburg"
KREIS = "demo-landkreis-heideland"
STADT = "demo-stadt-heidestadt"
BIRKENHAIN = "demo-gemeinde-birkenhain"
MOORWIESEN = "demo-gemeinde-moorwiesen"
SAMTGEMEINDE = "demo-samtgemeinde-auetal"
AUEDORF = "demo-gemeinde-auedorf"
LINDENHOF = "demo-gemeinde-lindenhof"
WIESENTAL = "demo-gemeinde-wiesental"

_ALL_CELLS = tuple((col, row) for row in range(GRID_ROWS) for col in range(GRID_COLUMNS))
_AUETAL_CELLS = ((0, 0), (1, 0), (2, 0))

# Codes: Land 99 (fictional); Kreis 99001; Gemeinden 99001001 …. The 12-digit ARS is
# Land(2) + Regierungsbezirk(1) + Kreis(2) + Verband(4) + Gemeinde(3); as in Lower Saxony,
# a verbandsfreie Gemeinde has Verband "0" + its own number, Samtgemeinde members "5401".
AUTHORITIES: tuple[AuthoritySpec, ...] = (
    AuthoritySpec(
        LAND,
        "Niedersachsen (Demo)",
        Level.LAND,
        ags="99",
        ars="990000000000",
        cells=_ALL_CELLS,  # the demo Land consists of the demo Kreis only
        email="poststelle@niedersachsen-demo.example.org",
        website="https://niedersachsen-demo.example.org/",
        colour="#5a6470",
    ),
    AuthoritySpec(
        ROAD_OPERATOR,
        "Landesbehörde für Straßenbau (Demo), Geschäftsbereich Lüneburg",
        Level.OPERATOR,
        email="strassenbau-lueneburg@niedersachsen-demo.example.org",
        website="https://strassenbau.niedersachsen-demo.example.org/",
        colour="#c8102e",
    ),
    AuthoritySpec(
        KREIS,
        "Landkreis Heideland (Demo)",
        Level.KREIS,
        ags="99001",
        ars="990010000000",
        parent=LAND,
        cells=_ALL_CELLS,
        email="maengelmelder@landkreis-heideland.example.org",
        website="https://landkreis-heideland.example.org/",
        colour="#00508c",
        portal_name="Mängelmelder Heideland",
        secondary_colour="#2e7d32",
        logo_static="data/logos/landkreis-heideland.svg",
        phone="04199 123-0",
        address="Landkreis Heideland (Demo)\nKreishaus\nAm Markt 1\n99001 Heidestadt",
        opening_hours=(
            "Mo–Fr 8:00–12:30 Uhr\nDo zusätzlich 14:00–18:00 Uhr\nZulassungsstelle: nur mit Termin"
        ),
    ),
    AuthoritySpec(
        STADT,
        "Stadt Heidestadt (Demo)",
        Level.GEMEINDE,
        ags="99001001",
        ars="990010001001",
        parent=KREIS,
        handles_ortsdurchfahrten=True,
        cells=((0, 1), (1, 1)),
        email="buergerservice@heidestadt.example.org",
        website="https://heidestadt.example.org/",
        colour="#7b2d8e",
        secondary_colour="#a05a00",
        logo_static="data/logos/stadt-heidestadt.svg",
        own_identity=True,
        phone="04199 456-0",
        address="Stadt Heidestadt (Demo)\nRathaus, Bürgerbüro\nLindenweg 2\n99001 Heidestadt",
        opening_hours="Mo, Di, Fr 8:00–12:00 Uhr\nDo 14:00–18:00 Uhr\nMi geschlossen",
    ),
    AuthoritySpec(
        BIRKENHAIN,
        "Gemeinde Birkenhain (Demo)",
        Level.GEMEINDE,
        ags="99001002",
        ars="990010002002",
        parent=KREIS,
        cells=((0, 2), (1, 2)),
        email="rathaus@birkenhain.example.org",
        website="https://birkenhain.example.org/",
        colour="#2e7d32",
    ),
    AuthoritySpec(
        MOORWIESEN,
        "Gemeinde Moorwiesen (Demo)",
        Level.GEMEINDE,
        ags="99001003",
        ars="990010003003",
        parent=KREIS,
        cells=((2, 1), (2, 2)),
        email="rathaus@moorwiesen.example.org",
        website="https://moorwiesen.example.org/",
        colour="#8d6e63",
    ),
    # Samtgemeinden have no AGS of their own; the ARS carries the Verband number.
    AuthoritySpec(
        SAMTGEMEINDE,
        "Samtgemeinde Auetal (Demo)",
        Level.SAMTGEMEINDE,
        ars="990015401000",
        parent=KREIS,
        cells=_AUETAL_CELLS,
        email="bauamt@samtgemeinde-auetal.example.org",
        website="https://samtgemeinde-auetal.example.org/",
        colour="#0277bd",
    ),
    AuthoritySpec(
        AUEDORF,
        "Gemeinde Auedorf (Demo)",
        Level.GEMEINDE,
        ags="99001004",
        ars="990015401004",
        parent=SAMTGEMEINDE,
        delegates_to=SAMTGEMEINDE,
        cells=((0, 0),),
        email="gemeinde@auedorf.example.org",
        colour="#4fc3f7",
    ),
    AuthoritySpec(
        LINDENHOF,
        "Gemeinde Lindenhof (Demo)",
        Level.GEMEINDE,
        ags="99001005",
        ars="990015401005",
        parent=SAMTGEMEINDE,
        delegates_to=SAMTGEMEINDE,
        cells=((1, 0),),
        email="gemeinde@lindenhof.example.org",
        colour="#29b6f6",
    ),
    AuthoritySpec(
        WIESENTAL,
        "Gemeinde Wiesental (Demo)",
        Level.GEMEINDE,
        ags="99001006",
        ars="990015401006",
        parent=SAMTGEMEINDE,
        delegates_to=SAMTGEMEINDE,
        cells=((2, 0),),
        email="gemeinde@wiesental.example.org",
        colour="#81d4fa",
    ),
)

# Federal and state roads in the demo Land are maintained by the demo road authority (as the
# NLStBV does in Lower Saxony); Kreis- and Gemeindestraßen follow from the boundaries.
ROAD_AUTHORITY_CLASSES = (RoadClass.AUTOBAHN, RoadClass.BUNDESSTRASSE, RoadClass.LANDESSTRASSE)

BOUNDARY_SETS: dict[str, str] = {
    Level.LAND: "demo-land",
    Level.KREIS: "demo-kreis",
    Level.SAMTGEMEINDE: "demo-samtgemeinde",
    Level.GEMEINDE: "demo-gemeinde",
}

# Through roads in metres east/north of ORIGIN. Segments meet at shared vertices (junctions)
# and are split where a road enters or leaves a village, so the Ortsdurchfahrt is its own row.
ROADS: tuple[RoadSpec, ...] = (
    # B 209: west to east through Heidestadt and Moorwiesen.
    RoadSpec(
        "DEMO-B209-01",
        RoadClass.BUNDESSTRASSE,
        "B 209",
        ((1500, 10000), (3000, 10300), (4000, 10400), (6000, 10600), (8800, 10900)),
    ),
    RoadSpec(
        "DEMO-B209-02",
        RoadClass.BUNDESSTRASSE,
        "B 209",
        ((8800, 10900), (10000, 11000), (11200, 11300)),
        ortsdurchfahrt=True,
        name="Lüneburger Straße",
    ),
    RoadSpec(
        "DEMO-B209-03",
        RoadClass.BUNDESSTRASSE,
        "B 209",
        ((11200, 11300), (13500, 12800), (16000, 14600), (19200, 16600)),
    ),
    RoadSpec(
        "DEMO-B209-04",
        RoadClass.BUNDESSTRASSE,
        "B 209",
        ((19200, 16600), (20000, 17000), (20800, 17400)),
        ortsdurchfahrt=True,
        name="Hauptstraße",
    ),
    RoadSpec("DEMO-B209-05", RoadClass.BUNDESSTRASSE, "B 209", ((20800, 17400), (22500, 18000))),
    # L 216: north to south through Moorwiesen and Wiesental.
    RoadSpec(
        "DEMO-L216-01",
        RoadClass.LANDESSTRASSE,
        "L 216",
        ((20500, 21300), (20300, 19500), (20100, 17900)),
    ),
    RoadSpec(
        "DEMO-L216-02",
        RoadClass.LANDESSTRASSE,
        "L 216",
        ((20100, 17900), (20000, 17000), (19900, 16000)),
        ortsdurchfahrt=True,
        name="Dorfstraße",
    ),
    RoadSpec(
        "DEMO-L216-03",
        RoadClass.LANDESSTRASSE,
        "L 216",
        ((19900, 16000), (20400, 12500), (20600, 8000), (20200, 4600)),
    ),
    RoadSpec(
        "DEMO-L216-04",
        RoadClass.LANDESSTRASSE,
        "L 216",
        ((20200, 4600), (20000, 3800), (19800, 3000)),
        ortsdurchfahrt=True,
        name="Hauptstraße",
    ),
    RoadSpec("DEMO-L216-05", RoadClass.LANDESSTRASSE, "L 216", ((19800, 3000), (19500, 1300))),
    # K 12: Birkenhain south past Heidestadt (rural, still the Kreis's) to Auedorf.
    RoadSpec(
        "DEMO-K12-01",
        RoadClass.KREISSTRASSE,
        "K 12",
        ((6200, 19800), (6000, 19000), (5700, 18200)),
        ortsdurchfahrt=True,
        name="Hauptstraße",
    ),
    RoadSpec(
        "DEMO-K12-02",
        RoadClass.KREISSTRASSE,
        "K 12",
        ((5700, 18200), (5000, 16500), (4200, 13500), (4000, 10400)),
    ),
    RoadSpec(
        "DEMO-K12-03", RoadClass.KREISSTRASSE, "K 12", ((4000, 10400), (3800, 7500), (4000, 4800))
    ),
    RoadSpec(
        "DEMO-K12-04",
        RoadClass.KREISSTRASSE,
        "K 12",
        ((4000, 4800), (4000, 3800), (4100, 2800)),
        ortsdurchfahrt=True,
        name="Dorfstraße",
    ),
    # K 37: Heidestadt south-east to Lindenhof and Wiesental.
    RoadSpec(
        "DEMO-K37-01",
        RoadClass.KREISSTRASSE,
        "K 37",
        ((10000, 11000), (10600, 10200), (11000, 9500)),
        ortsdurchfahrt=True,
        name="Lindenhofer Straße",
    ),
    RoadSpec(
        "DEMO-K37-02", RoadClass.KREISSTRASSE, "K 37", ((11000, 9500), (11600, 7000), (12000, 4400))
    ),
    RoadSpec(
        "DEMO-K37-03",
        RoadClass.KREISSTRASSE,
        "K 37",
        ((12000, 4400), (12000, 3500), (12600, 3000)),
        ortsdurchfahrt=True,
        name="Dorfstraße",
    ),
    RoadSpec(
        "DEMO-K37-04",
        RoadClass.KREISSTRASSE,
        "K 37",
        ((12600, 3000), (15000, 3200), (17500, 3600), (19200, 3700)),
    ),
    RoadSpec(
        "DEMO-K37-05",
        RoadClass.KREISSTRASSE,
        "K 37",
        ((19200, 3700), (20000, 3800)),
        ortsdurchfahrt=True,
        name="Am Bach",
    ),
    # K 41: Birkenhain east to Moorwiesen.
    RoadSpec(
        "DEMO-K41-01",
        RoadClass.KREISSTRASSE,
        "K 41",
        ((6000, 19000), (6900, 19200)),
        ortsdurchfahrt=True,
        name="Moorwiesener Straße",
    ),
    RoadSpec(
        "DEMO-K41-02",
        RoadClass.KREISSTRASSE,
        "K 41",
        ((6900, 19200), (10000, 19600), (14000, 19000), (17500, 18300), (20100, 17900)),
    ),
)

# Gemeindestraßen, playground and benches per town, in metres relative to the town centre
# (which lies on its through roads). Streets start on a through road or another street and
# keep well clear of the others, so a report on a street snaps to that street.
TOWNS: tuple[TownSpec, ...] = (
    TownSpec(
        STADT,
        "HS",
        "Heidestadt",
        (10000, 11000),
        (
            StreetSpec("Am Markt", ((-150, 60), (120, 110)), lit=True),
            StreetSpec("Kirchstraße", ((-60, 77), (-80, 400), (-40, 700)), lit=True),
            StreetSpec("Bahnhofstraße", ((300, 75), (450, 420), (520, 900))),
            StreetSpec(
                "Lindenstraße", ((-900, -75), (-600, -300), (-200, -420), (292, -390)), lit=True
            ),
            StreetSpec("Schulweg", ((-200, -420), (-250, -800), (-200, -1100))),
            StreetSpec("Heideweg", ((-700, -58), (-720, 300), (-650, 650))),
            StreetSpec("Gartenstraße", ((-80, 400), (-450, 420), (-720, 300))),
            StreetSpec("Mühlenweg", ((600, -800), (1000, -650), (1350, -600))),
            StreetSpec("Am Sportplatz", ((450, 420), (850, 520), (1150, 700))),
            # The report page's hint example, "Lindenweg 5, Heidestadt".
            StreetSpec("Lindenweg", ((-250, -800), (-600, -830), (-950, -760))),
        ),
        ("Spielplatz Gartenstraße", (-400, 250)),
        ((-20, 95), (60, 100), (-380, 240), (900, 560), (-230, -600)),
    ),
    TownSpec(
        BIRKENHAIN,
        "BH",
        "Birkenhain",
        (6000, 19000),
        (
            StreetSpec("Dorfstraße", ((60, 240), (-300, 300), (-700, 260)), lit=True),
            StreetSpec("Birkenweg", ((-300, 300), (-320, 650), (-250, 950))),
            StreetSpec("Schulstraße", ((-112, -300), (-450, -350), (-800, -300))),
            StreetSpec("Heidkoppel", ((300, 67), (350, -250), (420, -600))),
            StreetSpec("Eichenweg", ((350, -250), (700, -300), (1000, -250))),
        ),
        ("Spielplatz Dorfstraße", (-500, 100)),
        ((-480, 90), (100, 300), (700, -280)),
    ),
    TownSpec(
        MOORWIESEN,
        "MW",
        "Moorwiesen",
        (20000, 17000),
        (
            StreetSpec("Zum Moor", ((39, 350), (-300, 380), (-650, 330)), lit=True),
            StreetSpec("Torfweg", ((-300, 380), (-350, 650), (-330, 850))),
            StreetSpec("Wiesenstraße", ((400, 200), (600, -100), (700, -450))),
            StreetSpec("Feldstraße", ((-40, -400), (300, -380), (649, -270))),
            StreetSpec("Kiefernweg", ((-500, -250), (-550, -600), (-450, -900))),
        ),
        ("Spielplatz Zum Moor", (-400, 200)),
        ((-390, 190), (300, -200), (-60, 420)),
    ),
    TownSpec(
        AUEDORF,
        "AD",
        "Auedorf",
        (4000, 3800),
        (
            StreetSpec("Auestraße", ((0, 150), (400, 200), (800, 120)), lit=True),
            StreetSpec("Mühlenstraße", ((20, -200), (-350, -250), (-700, -200))),
            StreetSpec("Am Anger", ((-350, -250), (-380, 100), (-300, 400))),
            StreetSpec("Wacholderweg", ((400, 200), (450, -150), (500, -450))),
            StreetSpec("Kirchweg", ((0, 500), (-300, 400))),
        ),
        ("Spielplatz Am Anger", (-200, 150)),
        ((-190, 140), (420, 190), (-340, 0)),
    ),
    TownSpec(
        LINDENHOF,
        "LH",
        "Lindenhof",
        (12000, 3500),
        (
            StreetSpec("Lindenallee", ((0, 300), (-400, 320), (-800, 250)), lit=True),
            StreetSpec("Schäferweg", ((-400, 320), (-420, -150), (-350, -550))),
            StreetSpec("Am Teich", ((-420, -150), (-100, -300), (180, -150))),
            StreetSpec("Ringstraße", ((360, -300), (500, -800), (300, -1100))),
            StreetSpec("Bergstraße", ((0, 600), (350, 650), (700, 600))),
        ),
        ("Spielplatz Schäferweg", (-250, 100)),
        ((-240, 90), (-100, -285), (400, 630)),
    ),
    TownSpec(
        WIESENTAL,
        "WT",
        "Wiesental",
        (20000, 3800),
        (
            StreetSpec("Talstraße", ((50, 200), (450, 250), (850, 180)), lit=True),
            StreetSpec("Ginsterweg", ((450, 250), (500, 600), (450, 900))),
            StreetSpec("Im Winkel", ((-50, -200), (300, -300), (650, -250))),
            StreetSpec("Wiesenweg", ((300, -300), (320, -650), (250, -950))),
            StreetSpec("Schmiedestraße", ((-400, -50), (-450, 300), (-400, 600))),
        ),
        ("Spielplatz Im Winkel", (300, 0)),
        ((310, -10), (470, 260), (-440, 200)),
    ),
)

# Shown in the sign's name; real data would carry the StVO sign number.
# House numbers (geo.AddressPoint) along a few streets, so that the place search and the
# reverse lookup can name houses: (town code, street, postcode, highest house number). Odd
# numbers on the right of the street's direction, even on the left. The postcodes are
# fictional: no German postcode starts with "00".
ADDRESS_STREETS: tuple[tuple[str, str, str, int], ...] = (
    ("HS", "Lindenweg", "00101", 14),
    ("HS", "Am Markt", "00101", 8),
    ("HS", "Kirchstraße", "00101", 12),
    ("BH", "Dorfstraße", "00102", 10),
)
HOUSE_SPACING_M = 24.0
HOUSE_OFFSET_M = 14.0

SIGN_KINDS = (
    "Zeichen 274 (70 km/h)",
    "Zeichen 142 (Wildwechsel)",
    "Zeichen 103 (Kurve)",
    "Zeichen 306 (Vorfahrtstraße)",
    "Zeichen 138 (Radverkehr)",
    "Zeichen 101 (Gefahrstelle)",
)

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "schlagloch",
        "Schlagloch / Straßenschaden",
        "Pothole / road damage",
        "Schlaglöcher, Risse, abgesackte Fahrbahn oder lose Pflastersteine. Die Meldung geht "
        "an den Baulastträger der Straße.",
        10,
        snap_to_roads=True,
        snap_tolerance_m=25,
        duplicate_radius_m=30,
    ),
    CategorySpec(
        "strassenbeleuchtung",
        "Straßenbeleuchtung defekt",
        "Streetlight out",
        "Leuchte dunkel, flackert oder brennt am Tag. Die Nummer am Mast hilft uns.",
        20,
        asset_type=AssetType.STREETLIGHT,
        snap_tolerance_m=30,
        duplicate_radius_m=25,
    ),
    CategorySpec(
        "radweg",
        "Radweg beschädigt",
        "Damaged cycle path",
        "Wurzelaufbrüche, Schlaglöcher, Scherben oder Hindernisse auf dem Radweg.",
        30,
        snap_to_roads=True,
        snap_tolerance_m=30,  # cycle paths run a few metres beside the carriageway
        duplicate_radius_m=30,
    ),
    CategorySpec(
        "gully",
        "Gully / Entwässerung",
        "Drain / drainage",
        "Verstopfter Gully, fehlender Deckel oder Wasser, das auf der Straße steht.",
        40,
        snap_to_roads=True,
        snap_tolerance_m=20,
        duplicate_radius_m=20,
    ),
    CategorySpec(
        "verkehrszeichen",
        "Verkehrszeichen beschädigt",
        "Damaged traffic sign",
        "Schild verdreht, umgefahren, verschmutzt oder zugewachsen.",
        50,
        snap_to_roads=True,
        asset_type=AssetType.SIGN,
        snap_tolerance_m=25,
        duplicate_radius_m=20,
    ),
    CategorySpec(
        "ampel",
        "Ampel defekt",
        "Traffic light fault",
        "Ampel ausgefallen, Lampe defekt oder Taster ohne Funktion. Bei akuter Gefahr: "
        "Polizei 110.",
        60,
        # Signals stand on classified roads; elsewhere the Kreis (Straßenverkehrsbehörde) takes it.
        level=Level.KREIS,
        snap_to_roads=True,
        road_classes="BLK",
        snap_tolerance_m=40,
        duplicate_radius_m=50,
    ),
    CategorySpec(
        "winterdienst",
        "Winterdienst",
        "Winter service (snow and ice)",
        "Nicht geräumte oder nicht gestreute Straßen, Rad- und Gehwege.",
        70,
        snap_to_roads=True,
        snap_tolerance_m=30,
        duplicate_radius_m=100,
    ),
    CategorySpec(
        "wilder-muell",
        "Wilder Müll",
        "Illegal dumping",
        "Abgelagerter Hausmüll, Sperrmüll, Bauschutt oder Grünabfall. In Niedersachsen ist der "
        "Landkreis öffentlich-rechtlicher Entsorgungsträger.",
        80,
        level=Level.KREIS,
        duplicate_radius_m=50,
    ),
    CategorySpec(
        "abfallbehaelter",
        "Abfallbehälter voll/defekt",
        "Litter bin full or damaged",
        "Überfüllter, beschädigter oder fehlender Papierkorb.",
        90,
        asset_type=AssetType.BIN,
        snap_tolerance_m=20,
        duplicate_radius_m=15,
    ),
    CategorySpec(
        "sitzbank",
        "Sitzbank beschädigt",
        "Damaged bench",
        "Lose oder gebrochene Latten, beschmierte oder fehlende Bank.",
        100,
        asset_type=AssetType.BENCH,
        snap_tolerance_m=20,
        duplicate_radius_m=15,
    ),
    CategorySpec(
        "spielplatz",
        "Spielplatz",
        "Playground",
        "Defekte Spielgeräte, Scherben oder Verunreinigungen auf dem Spielplatz.",
        110,
        asset_type=AssetType.PLAYGROUND,
        snap_tolerance_m=75,  # the asset is the playground's centre, the report anywhere on it
        duplicate_radius_m=50,
    ),
    CategorySpec(
        "baum-gruenschnitt",
        "Baum / Grünschnitt",
        "Tree / vegetation",
        "Umsturzgefährdeter Baum, herabhängende Äste, zugewachsene Wege oder Sichtdreiecke.",
        120,
        duplicate_radius_m=30,
    ),
    CategorySpec(
        "sonstiges",
        "Sonstiges",
        "Other",
        "Alles, was in keine andere Kategorie passt. Wir leiten die Meldung weiter.",
        900,
    ),
)

_ROAD_WORK = ("schlagloch", "radweg", "gully", "verkehrszeichen", "ampel", "winterdienst")
_BAUHOF_WORK = (
    "schlagloch",
    "strassenbeleuchtung",
    "radweg",
    "gully",
    "verkehrszeichen",
    "winterdienst",
    "abfallbehaelter",
    "sitzbank",
    "spielplatz",
    "baum-gruenschnitt",
    "sonstiges",
)

TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(
        KREIS,
        "Straßenmeisterei Heideland (Demo)",
        "strassenmeisterei@landkreis-heideland.example.org",
        _ROAD_WORK,
    ),
    TeamSpec(
        KREIS,
        "Abfallwirtschaft Heideland (Demo)",
        "abfall@landkreis-heideland.example.org",
        ("wilder-muell",),
    ),
    TeamSpec(
        ROAD_OPERATOR,
        "Straßenmeisterei Heidestadt (Land, Demo)",
        "sm-heidestadt@strassenbau.niedersachsen-demo.example.org",
        _ROAD_WORK,
    ),
    TeamSpec(
        STADT,
        "Bauhof Heidestadt",
        "bauhof@heidestadt.example.org",
        tuple(slug for slug in _BAUHOF_WORK if slug not in ("spielplatz", "baum-gruenschnitt")),
    ),
    TeamSpec(
        STADT,
        "Stadtgrün Heidestadt",
        "stadtgruen@heidestadt.example.org",
        ("spielplatz", "baum-gruenschnitt"),
    ),
    TeamSpec(SAMTGEMEINDE, "Bauhof Auetal", "bauhof@samtgemeinde-auetal.example.org", _BAUHOF_WORK),
    TeamSpec(BIRKENHAIN, "Bauhof Birkenhain", "bauhof@birkenhain.example.org", _BAUHOF_WORK),
    TeamSpec(MOORWIESEN, "Bauhof Moorwiesen", "bauhof@moorwiesen.example.org", _BAUHOF_WORK),
)


@dataclass(frozen=True)
class AttributeSpec:
    """An Open311 service-definition field of a demo category (tracker.open311)."""

    category: str
    code: str
    datatype: str
    description: str
    order: int
    required: bool = False
    datatype_description: str = ""
    values: tuple[tuple[str, str], ...] = ()


OPEN311_ATTRIBUTES: tuple[AttributeSpec, ...] = (
    AttributeSpec(
        "strassenbeleuchtung",
        "mastnummer",
        "string",
        "Mastnummer (steht auf dem Schild am Mast)",
        1,
        datatype_description="z. B. L-00012",
    ),
    AttributeSpec(
        "schlagloch",
        "groesse",
        "singlevaluelist",
        "Größe des Schadens",
        1,
        required=True,
        values=(
            ("klein", "kleiner als ein Teller"),
            ("mittel", "etwa so groß wie ein Autoreifen"),
            ("gross", "größer als ein Autoreifen"),
        ),
    ),
    AttributeSpec(
        "schlagloch",
        "gefahr",
        "multivaluelist",
        "Wer ist gefährdet?",
        2,
        values=(("rad", "Radfahrende"), ("fuss", "Fußgänger"), ("kfz", "Kraftfahrzeuge")),
    ),
)


# Retention periods (privacy.RetentionPolicy, months after a record was closed; the access log:
# after the entry). The portal row (authority None) replaces the shipped defaults; the Stadt
# keeps reporters' contact data shorter. Like categories, only the demo's own rows are synced.
RETENTION: tuple[tuple[str | None, str, int], ...] = (
    (None, "report_contact", 6),
    (None, "report", 36),
    (None, "application", 72),
    (None, "message", 24),
    (None, "access_log", 24),
    (STADT, "report_contact", 3),
)
